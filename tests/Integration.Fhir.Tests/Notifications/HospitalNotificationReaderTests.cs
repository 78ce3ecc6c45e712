using System.Globalization;
using System.Text.Json.Nodes;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Notifications;

public sealed class HospitalNotificationReaderTests
{
    private const string A5e5Stin = "Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json";
    private const string BfabReStin = "Bundle-bfab3e80-9584-11ec-b909-0242ac120002.json";
    private const string C836AnStin = "Bundle-c83671a4-9584-11ec-b909-0242ac120002.json";
    private const string D312Stor = "Bundle-d3128d9b-cede-4c7f-8904-809eab322d7d.json";
    private const string E94dSlor = "Bundle-e94de8ee-bd94-475e-b454-b8fbbef8a685.json";
    private const string H1c8Staa = "Bundle-h1c8e4a8-6b45-4669-94ad-2a99ad96bf03.json";
    private const string M908Stin = "Bundle-m908i967-9ie3-9023-b9ec-98108695f01d.json";
    private const string N73cStin = "Bundle-n73ccf30-80b9-4bd2-bf50-1ac1914498f0.json";
    private const string StayId = "bd481c38-a921-11ed-afa1-0242ac120002";

    private static readonly IHospitalNotificationReader Reader = FhirServices.HospitalNotificationReader;

    public static TheoryData<string, NotificationEvent> ExpectedEvents() => new()
    {
        { A5e5Stin, NotificationEvent.STIN },
        { BfabReStin, NotificationEvent.RE_STIN },
        { C836AnStin, NotificationEvent.AN_STIN },
        { D312Stor, NotificationEvent.STOR },
        { E94dSlor, NotificationEvent.SLOR },
        { "Bundle-f4aa42a4-86db-4e68-9b38-9dda0dfd5774.json", NotificationEvent.SLHJ },
        { "Bundle-g099bbf3-3fca-4722-a248-bfe1aa956410.json", NotificationEvent.MORS },
        { H1c8Staa, NotificationEvent.STAA },
        { "Bundle-kcab461b-f44e-4d97-a041-ef7e64800587.json", NotificationEvent.SLHJ },
        { "Bundle-ld31e08a-b91f-49c3-841a-ce80e6380517.json", NotificationEvent.MORS },
        { M908Stin, NotificationEvent.STIN },
        { N73cStin, NotificationEvent.STIN },
    };

    /// <summary>Every example message of every type: ingress reads a notification from the Bundle it has just parsed
    /// (for the municipal handler, ADR 0011), a handler without it reads the stored JSON; both must give the same.</summary>
    public static TheoryData<string> AllExampleMessages() => [.. MedCom.AllExampleFiles().Where(IsMessage)];

    [Theory]
    [MemberData(nameof(AllExampleMessages))]
    public void GivenMedComExampleMessage_WhenReadAsParsed_ThenTheResultIsTheSameAsFromItsJson(string file)
    {
        var parsed = Parse(file);

        var fromJson = Reader.Read(parsed.FhirJson);
        var fromParsed = Reader.Read(parsed);

        Assert.Equal(fromJson.Notification, fromParsed.Notification);
        Assert.Equal(fromJson.Errors.Select(e => $"{e.Code} {e.Path} {e.Text}"), fromParsed.Errors.Select(e => $"{e.Code} {e.Path} {e.Text}"));
    }

    [Fact]
    public void GivenExpectedEvents_WhenCompared_ThenEveryExampleIsCovered()
    {
        var files = Directory.EnumerateFiles(MedCom.PathOf(MedCom.HospitalNotifications), "*.json").Select(Path.GetFileName);

        Assert.Equal(files.Order(StringComparer.Ordinal), ExpectedEvents().Select(row => (string)row[0]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ExpectedEvents))]
    public void GivenHospitalNotificationExample_WhenRead_ThenEventAndFactsMatchTheFile(string file, NotificationEvent expected)
    {
        var json = MedCom.Json(MedCom.HospitalNotification(file));
        var provenance = OwnProvenance(json);

        var notification = ReadOk(json);

        Assert.Equal(expected, notification.Event);
        Assert.Equal(HeaderId(json), notification.MessageHeaderId);
        Assert.Equal((string)provenance["activity"]!["coding"]![0]!["code"]!, notification.ActivityCode);
        Assert.Equal(Timestamp(provenance["occurredDateTime"]), notification.OccurredAt);
        Assert.True(notification.CitizenCpr == Cpr(json), "CitizenCpr must be the Patient's CPR identifier");
        Assert.Equal(StayId, notification.StayIdentifier);
        var encounter = Resources(json, "Encounter").Single();
        Assert.Equal((string)encounter["class"]!["code"]!, notification.EncounterClass);
        Assert.Equal((string)encounter["status"]!, notification.EncounterStatus);
        Assert.Equal(Timestamp(encounter["period"]!["start"]), notification.StayStart);
        Assert.Equal(Timestamp(encounter["period"]!["end"]), notification.StayEnd);
        Assert.Equal(expected is NotificationEvent.MORS, notification.PatientDeceased);
        Assert.NotNull(notification.ServiceProvider);
    }

    [Theory]
    [InlineData(A5e5Stin, true)]
    [InlineData(H1c8Staa, true)]
    [InlineData(BfabReStin, false)]
    [InlineData(M908Stin, false)]
    public void GivenExample_WhenRead_ThenReportOfAdmissionFlagAndRecipientAreRead(string file, bool requested)
    {
        var notification = ReadOk(MedCom.Json(MedCom.HospitalNotification(file)));

        Assert.Equal(requested, notification.ReportOfAdmissionRequested);
        if (requested)
        {
            Assert.Equal(new OrganizationIdentity("5790000209354", "265161000016000", notification.ReportOfAdmissionRecipient!.Name),
                notification.ReportOfAdmissionRecipient);
        }
        else
        {
            Assert.Null(notification.ReportOfAdmissionRecipient);
        }
    }

    [Fact]
    public void GivenStartLeave_WhenRead_ThenLeaveStartIsRead()
    {
        var notification = ReadOk(MedCom.Json(MedCom.HospitalNotification(D312Stor)));

        Assert.Equal(Timestamp("2022-12-13T14:00:10+02:00"), notification.LeaveStart);
        Assert.Null(notification.LeaveEnd);
    }

    [Fact]
    public void GivenEndLeave_WhenRead_ThenLeavePeriodIsRead()
    {
        var notification = ReadOk(MedCom.Json(MedCom.HospitalNotification(E94dSlor)));

        Assert.Equal(Timestamp("2022-12-13T14:00:10+02:00"), notification.LeaveStart);
        Assert.Equal(Timestamp("2022-12-14T15:30:00+02:00"), notification.LeaveEnd);
    }

    [Fact]
    public void GivenServiceProviderOtherThanSender_WhenRead_ThenServiceProviderIsTheWard()
    {
        var notification = ReadOk(MedCom.Json(MedCom.HospitalNotification(M908Stin)));

        Assert.Equal("399841000016000", notification.ServiceProvider!.Sor);
        Assert.Null(notification.ServiceProvider.Ean);
    }

    [Fact]
    public void GivenEpisodeOfCareWithoutSorSystem_WhenRead_ThenFirstIdentifierIsUsedWithoutUrnPrefix()
    {
        var json = MedCom.Json(MedCom.HospitalNotification(N73cStin));
        var episodes = Resources(json, "Encounter").Single()["episodeOfCare"]!.AsArray();
        episodes.RemoveAt(1);

        Assert.Equal("fc60e762-b13b-5773-865e-67f3907bdcc7", ReadOk(json).StayIdentifier);
    }

    [Fact]
    public void GivenNoEpisodeOfCare_WhenRead_ThenEncounterIdIsTheStay()
    {
        var json = MedCom.Json(MedCom.HospitalNotification(A5e5Stin));
        var encounter = Resources(json, "Encounter").Single();
        encounter.Remove("episodeOfCare");

        Assert.Equal((string)encounter["id"]!, ReadOk(json).StayIdentifier);
    }

    [Fact]
    public void GivenUnknownActivityCode_WhenRead_ThenCodeSystemValueUnknownAtTheProvenance()
    {
        var json = MedCom.Json(MedCom.HospitalNotification(A5e5Stin));
        var provenance = OwnProvenance(json);
        provenance["activity"]!["coding"]![0]!["code"] = "admit-somewhere-else";

        var error = ReadFails(json);

        Assert.Equal(MedComIssueCodes.CodeSystemValueUnknown, error.Code);
        Assert.Equal($"Bundle.entry[{EntryIndex(json, provenance)}].resource.activity", error.Path);
    }

    [Fact]
    public void GivenActivityOfAnotherMessageType_WhenRead_ThenValueSetValueUnknown()
    {
        var json = MedCom.Json(MedCom.HospitalNotification(A5e5Stin));
        OwnProvenance(json)["activity"]!["coding"]![0]!["code"] = "new-message";

        Assert.Equal(MedComIssueCodes.ValueSetValueUnknown, ReadFails(json).Code);
    }

    [Theory]
    [InlineData(BfabReStin, NotificationEvent.RE_MORS)]
    [InlineData(C836AnStin, NotificationEvent.AN_MORS)]
    [InlineData(A5e5Stin, NotificationEvent.MORS)]
    [InlineData(H1c8Staa, NotificationEvent.MORS)]
    public void GivenDeceasedPatient_WhenRead_ThenEventIsInTheMorsFamily(string file, NotificationEvent expected)
    {
        var json = MedCom.Json(MedCom.HospitalNotification(file));
        Resources(json, "Patient").Single()["deceasedBoolean"] = true;

        var notification = ReadOk(json);

        Assert.Equal(expected, notification.Event);
        Assert.True(notification.PatientDeceased);
    }

    [Fact]
    public void GivenEncounterStatusThatContradictsTheActivity_WhenRead_ThenActivityDecides()
    {
        var json = MedCom.Json(MedCom.HospitalNotification(A5e5Stin));
        Resources(json, "Encounter").Single()["status"] = "finished";

        Assert.Equal(NotificationEvent.STIN, ReadOk(json).Event);
    }

    [Fact]
    public void GivenNoProvenanceForThisMessage_WhenRead_ThenError()
    {
        var json = MedCom.Json(MedCom.HospitalNotification(BfabReStin));
        OwnProvenance(json)["target"]![0]!["reference"] = "MessageHeader/some-other-message";

        Assert.Equal(MedComIssueCodes.DatatypeWrong, ReadFails(json).Code);
    }

    [Fact]
    public void GivenNoPatient_WhenRead_ThenError()
    {
        var json = MedCom.Json(MedCom.HospitalNotification(A5e5Stin));
        var patient = Resources(json, "Patient").Single();
        Entries(json).RemoveAt(EntryIndex(json, patient));

        Assert.Contains("Patient", ReadFails(json).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenPatientWithoutCpr_WhenRead_ThenErrorAtTheIdentifier()
    {
        var json = MedCom.Json(MedCom.HospitalNotification(A5e5Stin));
        var patient = Resources(json, "Patient").Single();
        patient["identifier"]![0]!["system"] = "urn:oid:1.2.208.176.1.99";

        var error = ReadFails(json);

        Assert.Equal($"Bundle.entry[{EntryIndex(json, patient)}].resource.identifier", error.Path);
    }

    [Fact]
    public void GivenNoEncounter_WhenRead_ThenError()
    {
        var json = MedCom.Json(MedCom.HospitalNotification(A5e5Stin));
        Entries(json).RemoveAt(EntryIndex(json, Resources(json, "Encounter").Single()));

        Assert.Contains("Encounter", ReadFails(json).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenOccurredWithoutTimeZone_WhenRead_ThenDatatypeWrongAtOccurred()
    {
        var json = MedCom.Json(MedCom.HospitalNotification(A5e5Stin));
        var provenance = OwnProvenance(json);
        provenance["occurredDateTime"] = "2022-12-07T12:00:02";

        var error = ReadFails(json);

        Assert.Equal(MedComIssueCodes.DatatypeWrong, error.Code);
        // FHIR itself requires a zone on a dateTime with a time, so the strict parser already rejects it.
        Assert.Equal($"Bundle.entry[{EntryIndex(json, provenance)}].resource.occurred", error.Path);
    }

    [Fact]
    public void GivenOccurredAsDateOnly_WhenRead_ThenDatatypeWrongAtOccurredDateTime()
    {
        var json = MedCom.Json(MedCom.HospitalNotification(A5e5Stin));
        var provenance = OwnProvenance(json);
        provenance["occurredDateTime"] = "2022-12-07";

        var error = ReadFails(json);

        Assert.Equal(MedComIssueCodes.DatatypeWrong, error.Code);
        Assert.Equal($"Bundle.entry[{EntryIndex(json, provenance)}].resource.occurredDateTime", error.Path);
    }

    [Fact]
    public void GivenAcknowledgement_WhenReadAsHospitalNotification_ThenMessageTypeIsRejected()
    {
        var json = MedCom.Json($"{MedCom.Acknowledgements}/Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json");

        Assert.Equal(MedComIssueCodes.ReceiverUnableToReceiveMessageType, ReadFails(json).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"resourceType\":\"Patient\"}")]
    public void GivenTextThatIsNoMessage_WhenRead_ThenErrorNotException(string text)
    {
        var result = Reader.Read(text);

        Assert.False(result.Succeeded);
        Assert.Null(result.Notification);
        Assert.NotEmpty(result.Errors);
    }

    private static HospitalNotification ReadOk(JsonObject json)
    {
        var result = Reader.Read(json.ToJsonString());
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Code} {e.Text} {e.Path}")));
        return result.Notification!;
    }

    private static MedComIssue ReadFails(JsonObject json)
    {
        var result = Reader.Read(json.ToJsonString());
        Assert.False(result.Succeeded);
        Assert.Null(result.Notification);
        return Assert.Single(result.Errors);
    }

    private static DateTimeOffset? Timestamp(JsonNode? value) =>
        value is null ? null : DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture);
}

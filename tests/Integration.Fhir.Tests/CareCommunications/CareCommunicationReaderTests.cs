using System.Globalization;
using System.Text.Json.Nodes;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.CareCommunications;

/// <summary>The reader over MedCom's CareCommunication IG examples (5.0.2, and 4.0.3 from its package) and over variants
/// derived from them. The IG's flow: A (hospital) sends B (care home) a new message, B replies, A replies, B forwards the
/// thread to C (a new thread), C answers B.</summary>
public sealed class CareCommunicationReaderTests
{
    private const string NewMessage = "Bundle-add5e7e2-0c0f-4a4a-bfff-f6f984fa7e3c.json";
    private const string ReplyFromB = "Bundle-b56549f7-ed10-422d-8088-f7222b686e46.json";
    private const string ReplyFromA = "Bundle-3dcb5618-3055-406a-9034-1b8fc8de0fea.json";
    private const string ForwardToC = "Bundle-c0426e3e-978f-46e8-a366-a30f27854b0a.json";
    private const string AnswerFromC = "Bundle-d11968f5-4bdf-4b50-b146-a8e1cc890fc3.json";
    private const string NewWithReplacementCpr = "Bundle-0d5b3c18-fab6-4d93-9d88-c9c8abf1f18c.json";
    private const string NewWithPriority = "Bundle-gfd00bc2-9c26-4174-934e-f6e4360845de.json";
    private const string ReplyToOioxml = "Bundle-k7bfbc0c-553d-11ed-bdc3-0242ac120002.json";

    private const string FirstThread = "urn:uuid:b2eb3d0e-5de5-4de9-b2a3-0ff321ad1c3a";
    private const string ForwardedThread = "urn:uuid:546b19ba-3e50-4da8-b9ec-7caeefad6928";

    private static readonly ICareCommunicationReader Reader = FhirServices.CareCommunicationReader;

    /// <summary>File, activity, thread, the MessageHeader ids of the messages it answers or forwards.</summary>
    public static TheoryData<string, CareCommunicationActivity, string, string[]> ReadableIgExamples() => new()
    {
        { NewMessage, CareCommunicationActivity.New, FirstThread, [] },
        { ReplyFromB, CareCommunicationActivity.Reply, FirstThread, ["42cb9200-f421-4d08-8391-7d51a2503cb4"] },
        { ReplyFromA, CareCommunicationActivity.Reply, FirstThread, ["d5bd2111-2576-48d3-84d4-8be0297a038d"] },
        // The forward starts a new thread; it points back at the message it forwards.
        { ForwardToC, CareCommunicationActivity.Forward, ForwardedThread, ["4dff3695-218d-4878-838a-5f23cbba6f82"] },
        // The IG calls it C's reply to B, but its Provenance says forward-message and names the 3rd message: read as written.
        { AnswerFromC, CareCommunicationActivity.Forward, ForwardedThread, ["4dff3695-218d-4878-838a-5f23cbba6f82"] },
        { NewWithReplacementCpr, CareCommunicationActivity.New, "urn:uuid:cefe0dee-13b5-4bec-a843-09b4d58e4fe6", [] },
    };

    [Fact]
    public void GivenIgFolder_WhenListed_ThenEveryExampleIsCoveredByATest()
    {
        var covered = ReadableIgExamples().Select(row => (string)row[0]).Concat([NewWithPriority, ReplyToOioxml]);

        Assert.Equal(ExampleJson.Files(ExampleJson.IgCareCommunications), covered.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ReadableIgExamples))]
    public void GivenIgExample_WhenRead_ThenThreadActivityAndPredecessorsMatch(
        string file, CareCommunicationActivity activity, string thread, string[] previous)
    {
        var json = ExampleJson.Node($"{ExampleJson.IgCareCommunications}/{file}");

        var message = ReadOk(json.ToJsonString());

        Assert.Equal(HeaderId(json), message.MessageHeaderId);
        Assert.Equal(activity, message.Activity);
        Assert.Equal(thread, message.ConversationId);
        Assert.Equal(previous, message.PreviousMessageHeaderIds);
        Assert.Empty(message.PreviousNonFhirMessageIds);
        var communication = Resources(json, "Communication").Single();
        Assert.Equal((string)communication["category"]![0]!["coding"]![0]!["code"]!, message.Category);
        Assert.Equal((string?)communication["topic"]?["text"], message.Topic);
        Assert.Null(message.Priority);
        Assert.Equal(Timestamp(OwnProvenance(json)["occurredDateTime"]), message.SentAt);
    }

    [Fact]
    public void GivenIgExampleFromHospitalToCareHome_WhenRead_ThenCitizenIsThePatientsCpr()
    {
        var json = ExampleJson.Node($"{ExampleJson.IgCareCommunications}/{NewMessage}");

        var message = ReadOk(json.ToJsonString());

        Assert.True(message.CitizenCpr == Cpr(json), "CitizenCpr must be the Patient's CPR identifier");
        Assert.Empty(message.ReplacementCprs);
        Assert.Equal("examination-results", message.Category);
        Assert.Equal("Forspørgsel på seneste resultater", message.Topic);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.FromHours(2)), message.SentAt);
    }

    [Fact]
    public void GivenPatientWithOnlyAReplacementCpr_WhenRead_ThenCprIsNullAndTheXeCprIsGiven()
    {
        var message = ReadOk(ExampleJson.Of($"{ExampleJson.IgCareCommunications}/{NewWithReplacementCpr}"));

        Assert.Null(message.CitizenCpr);
        var replacement = Assert.Single(message.ReplacementCprs);
        Assert.Equal("urn:oid:1.2.208.176.1.6.1.1", replacement.System);
        Assert.Equal(10, replacement.Value.Length);
    }

    /// <summary>MedCom's own IG examples gfd00bc2 and k7bfbc0c list, in the Provenance of the message itself, segment
    /// identifiers that no Communication.payload has (gfd00bc2 even lists the thread id). That is the defect MedCom's
    /// receive test Tek-M/N expects a negative acknowledgement for, so the reader rejects these two as well.</summary>
    [Theory]
    [InlineData(NewWithPriority, new[] { 0, 1 })]
    [InlineData(ReplyToOioxml, new[] { 0 })]
    public void GivenIgExampleWhoseProvenanceNamesUnknownSegments_WhenRead_ThenEachSuchEntityIsAnError(string file, int[] entities)
    {
        var json = ExampleJson.Node($"{ExampleJson.IgCareCommunications}/{file}");
        var provenance = $"Bundle.entry[{EntryIndex(json, OwnProvenance(json))}].resource";

        var result = Reader.Read(json.ToJsonString());

        Assert.False(result.Succeeded);
        Assert.Equal(entities.Select(i => $"{provenance}.entity[{i}].what.identifier"), result.Errors.Select(e => e.Path));
        Assert.All(result.Errors, e => Assert.Equal(MedComIssueCodes.DatatypeWrong, e.Code));
    }

    [Fact]
    public void GivenPriorityExampleWithItsSegmentsListed_WhenRead_ThenPriorityAndReferralCategoryAreRead()
    {
        var json = ExampleJson.Node($"{ExampleJson.IgCareCommunications}/{NewWithPriority}");
        ListOwnSegmentsCorrectly(json);

        var message = ReadOk(json.ToJsonString());

        Assert.Equal("regarding-referral", message.Category);
        Assert.Equal("asap", message.Priority);
        Assert.Equal("Journal notat", message.Topic);
        Assert.Equal("urn:uuid:f9cf2547-7a1c-4639-9fd3-9f717556ad36", message.ConversationId);
    }

    [Fact]
    public void GivenReplyToOioxmlWithItsSegmentListed_WhenRead_ThenTheOioxmlLetterIsThePredecessor()
    {
        var json = ExampleJson.Node($"{ExampleJson.IgCareCommunications}/{ReplyToOioxml}");
        ListOwnSegmentsCorrectly(json);

        var message = ReadOk(json.ToJsonString());

        Assert.Equal(CareCommunicationActivity.Reply, message.Activity);
        Assert.Empty(message.PreviousMessageHeaderIds);
        Assert.Equal(["B300720181623#5790000121526"], message.PreviousNonFhirMessageIds);
    }

    [Fact]
    public void GivenCareCommunication403Package_WhenEachBundleIsRead_ThenThoseWithConsistentProvenanceAreReadAsIn502()
    {
        var bundles = ExampleJson.PackageBundles(ExampleJson.CareCommunication403Package);

        var results = bundles.ToDictionary(b => b.Key, b => Reader.Read(b.Value));

        Assert.Equal(8, bundles.Count);
        // 4.0.3's d11968f5 and k7bfbc0c list a segment their Communication does not have (see the 5.0.2 test above).
        Assert.Equal(["Bundle-d11968f5-4bdf-4b50-b146-a8e1cc890fc3.json", "Bundle-k7bfbc0c-553d-11ed-bdc3-0242ac120002.json"],
            results.Where(r => !r.Value.Succeeded).Select(r => r.Key).Order(StringComparer.Ordinal));
        Assert.Equal(CareCommunicationActivity.Forward, results[ForwardToC].Message!.Activity);
        Assert.Equal(ForwardedThread, results[ForwardToC].Message!.ConversationId);
        Assert.Equal(["d5bd2111-2576-48d3-84d4-8be0297a038d"], results[ReplyFromA].Message!.PreviousMessageHeaderIds);
        Assert.Equal("asap", results[NewWithPriority].Message!.Priority);
    }

    [Fact]
    public void GivenHospitalNotification_WhenRead_ThenReceiverCannotTakeTheMessageType()
    {
        var json = MedCom.Text(MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"));

        var error = Assert.Single(Reader.Read(json).Errors);

        Assert.Equal(MedComIssueCodes.ReceiverUnableToReceiveMessageType, error.Code);
        Assert.Equal("Bundle.entry[0].resource.eventCoding", error.Path);
    }

    [Fact]
    public void GivenBodyThatIsNotJson_WhenRead_ThenDatatypeWrongAndNoException()
    {
        var error = Assert.Single(Reader.Read("{ not json").Errors);

        Assert.Equal(MedComIssueCodes.DatatypeWrong, error.Code);
    }

    [Fact]
    public void GivenMessageWithoutCommunication_WhenRead_ThenFocusIsNamed()
    {
        var json = Example(NewMessage);
        Entries(json).RemoveAt(EntryIndex(json, Communication(json)));

        var errors = Reader.Read(json.ToJsonString()).Errors;

        Assert.Contains(errors, e => e.Code == MedComIssueCodes.DatatypeWrong && e.Path == "Bundle.entry[0].resource.focus");
    }

    [Fact]
    public void GivenCommunicationWithoutIdentifier_WhenRead_ThenTheThreadIdIsMissing()
    {
        var json = Example(NewMessage);
        Communication(json).Remove("identifier");

        var error = Assert.Single(Reader.Read(json.ToJsonString()).Errors);

        Assert.Equal($"Bundle.entry[{EntryIndex(json, Communication(json))}].resource.identifier", error.Path);
        Assert.Equal(MedComIssueCodes.DatatypeWrong, error.Code);
    }

    [Theory]
    [InlineData(null, "examination-results", MedComIssueCodes.ValueSetValueUnknown)]
    [InlineData("http://example.org/categories", "examination-results", MedComIssueCodes.ValueSetValueUnknown)]
    [InlineData("http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-careCommunication-categoryCodes", "gossip", MedComIssueCodes.CodeSystemValueUnknown)]
    public void GivenCategoryOutsideMedComsCategories_WhenRead_ThenTheCategoryIsRejected(string? system, string code, string expected)
    {
        var json = Example(NewMessage);
        var coding = Communication(json)["category"]![0]!["coding"]![0]!.AsObject();
        coding["system"] = system;
        coding["code"] = code;
        if (system is null)
        {
            coding.Remove("system");
        }

        var error = Assert.Single(Reader.Read(json.ToJsonString()).Errors);

        Assert.Equal(expected, error.Code);
        Assert.Equal($"Bundle.entry[{EntryIndex(json, Communication(json))}].resource.category", error.Path);
    }

    [Fact]
    public void GivenPatientWithoutCprOrReplacementCpr_WhenRead_ThenThePatientIdentifierIsNamedWithoutQuotingIt()
    {
        var json = Example(NewMessage);
        var cpr = Cpr(json);
        var patient = Resources(json, "Patient").Single();
        patient["identifier"]![0]!["system"] = "urn:oid:1.2.208.176.1.99";

        var error = Assert.Single(Reader.Read(json.ToJsonString()).Errors);

        Assert.Equal($"Bundle.entry[{EntryIndex(json, patient)}].resource.identifier", error.Path);
        Assert.DoesNotContain(cpr, error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenMessageWithoutPatient_WhenRead_ThenThePatientIsMissing()
    {
        var json = Example(NewMessage);
        Entries(json).RemoveAt(EntryIndex(json, Resources(json, "Patient").Single()));

        var errors = Reader.Read(json.ToJsonString()).Errors;

        Assert.Contains(errors, e => e.Text.Contains("no Patient", StringComparison.Ordinal) && e.Path == "Bundle.entry");
    }

    [Theory]
    [InlineData("retract-message", MedComIssueCodes.ValueSetValueUnknown)]
    [InlineData("admit-inpatient", MedComIssueCodes.ValueSetValueUnknown)]
    [InlineData("send-pigeon", MedComIssueCodes.CodeSystemValueUnknown)]
    public void GivenActivityThatIsNotACareCommunicationActivity_WhenRead_ThenActivityIsRejected(string code, string expected)
    {
        var json = Example(NewMessage);
        var provenance = OwnProvenance(json);
        provenance["activity"]!["coding"]![0]!["code"] = code;

        var error = Assert.Single(Reader.Read(json.ToJsonString()).Errors);

        Assert.Equal(expected, error.Code);
        Assert.Equal($"Bundle.entry[{EntryIndex(json, provenance)}].resource.activity", error.Path);
    }

    [Fact]
    public void GivenReplyThatNamesNoEarlierMessage_WhenRead_ThenItsEntitiesAreNamed()
    {
        var json = Example(ReplyFromB);
        var provenance = OwnProvenance(json);
        var entities = provenance["entity"]!.AsArray();
        entities.RemoveAt(entities.Select((e, i) => (e, i)).Single(x => (string?)x.e!["role"] == "revision").i);

        var error = Assert.Single(Reader.Read(json.ToJsonString()).Errors);

        Assert.Equal($"Bundle.entry[{EntryIndex(json, provenance)}].resource.entity", error.Path);
    }

    [Fact]
    public void GivenSentTimeWithoutTimeZone_WhenRead_ThenOccurredDateTimeIsRejected()
    {
        var json = Example(NewMessage);
        var provenance = OwnProvenance(json);
        provenance["occurredDateTime"] = "2024-05-01";

        var error = Assert.Single(Reader.Read(json.ToJsonString()).Errors);

        Assert.Equal($"Bundle.entry[{EntryIndex(json, provenance)}].resource.occurredDateTime", error.Path);
    }

    [Fact]
    public void GivenPreviousMessageAsAbsoluteUrl_WhenRead_ThenOnlyTheMessageHeaderIdIsKept()
    {
        var json = Example(ReplyFromB);
        var revision = OwnProvenance(json)["entity"]!.AsArray().Single(e => (string?)e!["role"] == "revision")!;
        revision["what"]!["reference"] = "https://medcomfhir.dk/ig/carecommunication/MessageHeader/42cb9200-f421-4d08-8391-7d51a2503cb4";

        Assert.Equal(["42cb9200-f421-4d08-8391-7d51a2503cb4"], ReadOk(json.ToJsonString()).PreviousMessageHeaderIds);
    }

    private static JsonObject Example(string file) => ExampleJson.Node($"{ExampleJson.IgCareCommunications}/{file}");

    private static JsonObject Communication(JsonObject bundle) => Resources(bundle, "Communication").Single();

    /// <summary>Makes the message's own Provenance list exactly the segments its Communication has that no other
    /// Provenance lists (what MedCom's rule asks for).</summary>
    private static void ListOwnSegmentsCorrectly(JsonObject bundle)
    {
        var own = OwnProvenance(bundle);
        var listedElsewhere = Resources(bundle, "Provenance").Where(p => !ReferenceEquals(p, own))
            .SelectMany(p => p["entity"]!.AsArray()).Select(e => (string?)e!["what"]!["identifier"]?["value"]).ToHashSet();
        var segments = Communication(bundle)["payload"]!.AsArray()
            .Select(p => (string)p!["extension"]!.AsArray()
                .Single(x => ((string)x!["url"]!).EndsWith("identifier-extension", StringComparison.Ordinal))!["valueIdentifier"]!["value"]!)
            .Where(id => !listedElsewhere.Contains(id));
        var entities = own["entity"]!.AsArray();
        foreach (var stale in entities.Where(e => (string?)e!["role"] == "source").ToList())
        {
            entities.Remove(stale);
        }

        foreach (var segment in segments)
        {
            entities.Add(new JsonObject { ["role"] = "source", ["what"] = new JsonObject { ["identifier"] = new JsonObject { ["value"] = segment } } });
        }
    }

    private static DateTimeOffset Timestamp(JsonNode? value) =>
        DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture);

    private static CareCommunication ReadOk(string json)
    {
        var result = Reader.Read(json);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Code} {e.Path}: {e.Text}")));
        return result.Message!;
    }
}

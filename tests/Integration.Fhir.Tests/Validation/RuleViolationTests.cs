using System.Text.Json.Nodes;

namespace Integration.Fhir.Tests.Validation;

/// <summary>One broken MedCom rule at a time, derived in memory from MedCom's examples: each gives the expected rule, element
/// path and MedCom issue code as an Error, with the built-in rules alone and with the packages.</summary>
public sealed class RuleViolationTests
{
    private const string Sor = "urn:oid:1.2.208.176.1.1";
    private const string Gln = "https://www.gs1.org/gln";
    private const string Cpr = "urn:oid:1.2.208.176.1.2";

    public static TheoryData<bool> BothValidators() => new(false, true);

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenSenderEanWithWrongCheckDigit_WhenValidated_ThenEanCheckDigitError(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var sender = example.Sender;
        var index = Example.IdentifierIndex(sender, Gln);
        var ean = (string)sender["identifier"]![index]!["value"]!;
        sender["identifier"]![index]!["value"] = ean[..12] + (char)('0' + ((ean[12] - '0' + 1) % 10));

        AssertError(example.Validate(withPackages), "hub-ean-check-digit", "MSG_ID_INVALID",
            $"{example.PathOf(sender)}.identifier[{index}].value");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenReceiverEanOfTwelveDigits_WhenValidated_ThenEanFormatError(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var receiver = example.Receiver;
        var index = Example.IdentifierIndex(receiver, Gln);
        receiver["identifier"]![index]!["value"] = "579000120931";

        AssertError(example.Validate(withPackages), "hub-ean-format", "MSG_ID_INVALID",
            $"{example.PathOf(receiver)}.identifier[{index}].value");
    }

    [Theory]
    [InlineData("https://gs1.org/gln", false)]
    [InlineData("https://gs1.org/gln", true)]
    [InlineData("https://www.gs1.org/gln/", false)]
    [InlineData("urn:www.gs1.org:gln", true)]
    public void GivenGlnWithMisspeltGs1System_WhenValidated_ThenGlnSystemError(string system, bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var receiver = example.Receiver;
        var index = Example.IdentifierIndex(receiver, Gln);
        receiver["identifier"]![index]!["system"] = system;

        var report = example.Validate(withPackages);

        AssertError(report, "hub-gln-system", "MSG_ID_INVALID", $"{example.PathOf(receiver)}.identifier[{index}].system");
        Assert.DoesNotContain(report.Errors, e => e.Rule == "hub-organization-identifiers");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenGlnWithTheHttpGs1System_WhenValidated_ThenItIsAcceptedLikeHttps(bool withPackages)
    {
        // Danish core profiles from 3.x write the GLN system with http; both spellings mean GLN.
        var example = Example.Load(Example.HospitalNotification);
        foreach (var organization in new[] { example.Sender, example.Receiver })
        {
            organization["identifier"]![Example.IdentifierIndex(organization, Gln)]!["system"] = "http://www.gs1.org/gln";
        }

        var report = example.Validate(withPackages);

        Assert.True(report.IsValid, Validators.Describe(report));
    }

    [Theory]
    [InlineData("310299", false)] // 31 February
    [InlineData("310299", true)]
    [InlineData("320101", false)] // day 32
    [InlineData("011399", true)] // month 13
    [InlineData("290201", false)] // 29 February 2001 (7th digit 0: 1900s → 1901, no leap year either)
    public void GivenCprWithImpossibleDate_WhenValidated_ThenCprFormatError(string ddmmyy, bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var patient = example.Single("Patient");
        var index = Example.IdentifierIndex(patient, Cpr);
        patient["identifier"]![index]!["value"] = ddmmyy + "0123";

        AssertError(example.Validate(withPackages), "hub-cpr-format", "MSG_ID_INVALID",
            $"{example.PathOf(patient)}.identifier[{index}].value");
    }

    [Theory]
    [InlineData("29020041", true)] // 29 February 2000, 7th digit 4: 2000s, a leap year
    [InlineData("01019900", false)] // modulus-11 does not hold and need not (CPR numbers since 2007)
    public void GivenCprWithRealDate_WhenValidated_ThenItIsAccepted(string prefix, bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var patient = example.Single("Patient");
        patient["identifier"]![Example.IdentifierIndex(patient, Cpr)]!["value"] = prefix + "17";

        var report = example.Validate(withPackages);

        Assert.True(report.IsValid, Validators.Describe(report));
    }

    [Theory]
    [InlineData("2650160000", "hub-sor-format", "MSG_ID_INVALID", false)] // 10 digits
    [InlineData("2650160000", "hub-sor-format", "MSG_ID_INVALID", true)]
    [InlineData("26516100001600O", "hub-sor-format", "MSG_ID_INVALID", false)] // a letter O
    [InlineData("1234567890123456789", "hub-sor-too-long", "MSG_Element_To_Long", true)] // 19 digits
    public void GivenMalformedSor_WhenValidated_ThenSorError(string sor, string rule, string code, bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var sender = example.Sender;
        var index = Example.IdentifierIndex(sender, Sor);
        sender["identifier"]![index]!["value"] = sor;

        AssertError(example.Validate(withPackages), rule, code, $"{example.PathOf(sender)}.identifier[{index}].value");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenReceiverWithoutSor_WhenValidated_ThenReceiverIdentifierMissing(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var receiver = example.Receiver;
        receiver["identifier"]!.AsArray().RemoveAt(Example.IdentifierIndex(receiver, Sor));

        var report = example.Validate(withPackages);

        AssertError(report, "hub-organization-identifiers", "MSG_Receiver_Identifier_MISSING", $"{example.PathOf(receiver)}.identifier");
        if (withPackages)
        {
            // The package's dk-core invariant (SOR, KOMBIT or CVR identifier) sees the same problem and says so too.
            AssertError(report, "dk-core-organization-mandatory-identifier", "MSG_BAD_FORMAT", example.PathOf(receiver));
        }
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenUnknownEventCode_WhenValidated_ThenEventCodeError(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        example.Header["eventCoding"]!["code"] = "hospital-notification";

        AssertError(example.Validate(withPackages), "hub-event-code", "MSG_CodeSystem_VALUE_UNKNOWN",
            "Bundle.entry[0].resource.event.code");
    }

    [Theory]
    [InlineData("admit-outpatient", "MSG_CodeSystem_VALUE_UNKNOWN", false)]
    [InlineData("admit-outpatient", "MSG_CodeSystem_VALUE_UNKNOWN", true)]
    [InlineData("new-message", "MSG_VALUESET_VALUE_UNKNOWN", false)] // a CareCommunication activity
    [InlineData("new-message", "MSG_VALUESET_VALUE_UNKNOWN", true)]
    public void GivenHospitalNotificationWithWrongActivity_WhenValidated_ThenActivityCodeError(string activity, string code, bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var provenance = example.OwnProvenance;
        provenance["activity"]!["coding"]![0]!["code"] = activity;

        var report = example.Validate(withPackages);

        AssertError(report, "hub-activity-code", code, $"{example.PathOf(provenance)}.activity.coding[0].code");
        // The package's binding of Provenance.activity finds the same code: reported once, by the built-in rule.
        Assert.Single(report.Errors);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenUnknownCareCommunicationCategory_WhenValidated_ThenCategoryError(bool withPackages)
    {
        var example = Example.Load(Example.CareCommunication);
        var communication = example.Single("Communication");
        communication["category"]![0]!["coding"]![0]!["code"] = "rehabilitation";

        var report = example.Validate(withPackages);

        AssertError(report, "hub-cc-category", "MSG_CodeSystem_VALUE_UNKNOWN",
            $"{example.PathOf(communication)}.category[0].coding[0].code");
        Assert.Single(report.Errors);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenMessageWithoutProvenance_WhenValidated_ThenProvenanceRequired(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        example.Remove("Provenance");

        var report = example.Validate(withPackages);

        AssertError(report, "hub-provenance-required", "MSG_RESOURCE_REQUIRED", "Bundle.entry");
        if (withPackages)
        {
            AssertError(report, "medcom-messaging-2", "MSG_BAD_FORMAT", "Bundle");
        }
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenHospitalNotificationWithoutPatient_WhenValidated_ThenPatientRequired(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        example.Remove("Patient");

        AssertError(example.Validate(withPackages), "hub-patient-required", "MSG_RESOURCE_REQUIRED", "Bundle.entry");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenCareCommunicationWithTwoPatients_WhenValidated_ThenPatientNotAllowed(bool withPackages)
    {
        var example = Example.Load(Example.CareCommunication);
        var copy = example.Single("Patient").DeepClone().AsObject();
        copy["id"] = "second-patient";
        example.Bundle["entry"]!.AsArray().Add(new JsonObject { ["fullUrl"] = "Patient/second-patient", ["resource"] = copy });

        AssertError(example.Validate(withPackages), "hub-patient-required", "MSG_RESOURCE_NOT_ALLOWED", "Bundle.entry");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenHospitalNotificationPatientWithReplacementCprOnly_WhenValidated_ThenPatientCprError(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var patient = example.Single("Patient");
        patient["identifier"] = new JsonArray(new JsonObject { ["system"] = "urn:oid:1.2.208.176.1.6.1.1", ["value"] = "0703921VJ4" });

        AssertError(example.Validate(withPackages), "hub-patient-cpr", "MSG_ID_INVALID", $"{example.PathOf(patient)}.identifier");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenProvenanceTimestampWithoutZone_WhenValidated_ThenTimestampZoneError(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var provenance = example.OwnProvenance;
        provenance["occurredDateTime"] = "2022-12-07T12:00:02";

        AssertError(example.Validate(withPackages), "hub-timestamp-zone", "MSG_DATE_FORMAT", $"{example.PathOf(provenance)}.occurred");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenEncounterStartWithoutZone_WhenValidated_ThenTimestampZoneError(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var encounter = example.Single("Encounter");
        encounter["period"]!["start"] = "2022-12-07T11:55:00";

        AssertError(example.Validate(withPackages), "hub-timestamp-zone", "MSG_DATE_FORMAT", $"{example.PathOf(encounter)}.period.start");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenTimestampWithoutZoneInAnExtensionOfAPrimitive_WhenValidated_ThenTimestampZoneErrorThere(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var encounter = example.Single("Encounter");
        encounter["_status"] = new JsonObject
        {
            ["extension"] = new JsonArray(new JsonObject { ["url"] = "http://example.org/status-changed", ["valueDateTime"] = "2022-12-07T11:55:00" }),
        };

        AssertError(example.Validate(withPackages), "hub-timestamp-zone", "MSG_DATE_FORMAT", $"{example.PathOf(encounter)}.status.extension[0].value");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenProvenanceWithDateOnly_WhenValidated_ThenTimestampZoneError(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var provenance = example.OwnProvenance;
        provenance["occurredDateTime"] = "2022-12-07";

        AssertError(example.Validate(withPackages), "hub-timestamp-zone", "MSG_DATE_FORMAT", $"{example.PathOf(provenance)}.occurred");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenHospitalNotificationWithoutEncounter_WhenValidated_ThenEncounterRequired(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        example.Remove("Encounter");

        var report = example.Validate(withPackages);

        AssertError(report, "hub-hn-encounter", "MSG_RESOURCE_REQUIRED", "Bundle.entry");
        AssertError(report, "hub-hn-encounter", "MSG_RESOURCE_REQUIRED", "Bundle.entry[0].resource.focus");
    }

    [Theory]
    [InlineData("class", "AMB", "hub-hn-encounter-class", false)]
    [InlineData("class", "AMB", "hub-hn-encounter-class", true)]
    [InlineData("status", "planned", "hub-hn-encounter-status", false)]
    [InlineData("status", "planned", "hub-hn-encounter-status", true)]
    public void GivenEncounterOutsideMedComsValueSet_WhenValidated_ThenValueSetError(string element, string code, string rule, bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var encounter = example.Single("Encounter");
        if (element == "class")
        {
            encounter["class"]!["code"] = code;
        }
        else
        {
            encounter["status"] = code;
        }

        var report = example.Validate(withPackages);

        AssertError(report, rule, "MSG_VALUESET_VALUE_UNKNOWN", $"{example.PathOf(encounter)}.{element}");
        Assert.Single(report.Errors);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenHospitalNotificationWithCcDestination_WhenValidated_ThenNoCarbonCopyError(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var destinations = example.Header["destination"]!.AsArray();
        var cc = destinations[0]!.DeepClone().AsObject();
        cc["extension"]![0]!["valueCoding"]!["code"] = "cc";
        destinations.Add(cc);

        AssertError(example.Validate(withPackages), "hub-destination-no-cc", "MSG_BAD_FORMAT", "Bundle.entry[0].resource.destination[1]");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenCareCommunicationWithoutDefinition_WhenValidated_ThenDefinitionError(bool withPackages)
    {
        var example = Example.Load(Example.CareCommunication);
        example.Header.Remove("definition");

        AssertError(example.Validate(withPackages), "hub-cc-definition", "MSG_BAD_FORMAT", "Bundle.entry[0].resource.definition");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenPayloadWithoutIdentifier_WhenValidated_ThenPayloadIdentifierAndProvenancePayloadErrors(bool withPackages)
    {
        var example = Example.Load(Example.CareCommunication);
        var communication = example.Single("Communication");
        var extensions = communication["payload"]![0]!["extension"]!.AsArray();
        extensions.Remove(extensions.Single(e => ((string)e!["url"]!).EndsWith("identifier-extension", StringComparison.Ordinal)));

        var report = example.Validate(withPackages);

        AssertError(report, "hub-cc-payload-identifier", "MSG_BAD_FORMAT", $"{example.PathOf(communication)}.payload[0].extension");
        AssertError(report, "hub-cc-provenance-payload", "MSG_NO_MATCH", $"{example.PathOf(example.OwnProvenance)}.entity[0].what.identifier");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenFatalErrorAcknowledgementWithoutOperationOutcome_WhenValidated_ThenAckOutcomeError(bool withPackages)
    {
        var example = Example.Load(Example.FatalErrorAcknowledgement);
        example.Remove("OperationOutcome");

        var report = example.Validate(withPackages);

        AssertError(report, "hub-ack-outcome", "MSG_RESOURCE_REQUIRED", "Bundle.entry[0].resource.response.details");
        if (withPackages)
        {
            AssertError(report, "medcom-acknowledgement-1", "MSG_BAD_FORMAT", "Bundle");
        }
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenAcknowledgementWithoutResponse_WhenValidated_ThenAckResponseError(bool withPackages)
    {
        var example = Example.Load(Example.FatalErrorAcknowledgement);
        example.Header.Remove("response");

        AssertError(example.Validate(withPackages), "hub-ack-response", "MSG_BAD_FORMAT", "Bundle.entry[0].resource.response");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenSenderThatIsNotInTheBundle_WhenValidated_ThenSenderError(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        example.Header["sender"]!["reference"] = "Organization/not-in-this-bundle";

        AssertError(example.Validate(withPackages), "hub-sender", "MSG_RESOURCE_REQUIRED", "Bundle.entry[0].resource.sender");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenThousandsOfEntriesWithoutResource_WhenValidated_ThenEntryResourceErrorsAreCapped(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var entries = example.Bundle["entry"]!.AsArray();
        var first = entries.Count;
        for (var n = 0; n < 10_000; n++)
        {
            entries.Add(new JsonObject { ["fullUrl"] = $"urn:uuid:00000000-0000-4000-8000-{n:D12}" });
        }

        var report = example.Validate(withPackages);

        AssertError(report, "hub-entry-resource", "MSG_RESOURCE_REQUIRED", $"Bundle.entry[{first}]");
        Assert.Equal(10, report.Errors.Count(e => e.Rule == "hub-entry-resource"));
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenTheReceiverCopiedUnderTheSameFullUrl_WhenValidated_ThenDuplicateIdError(bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        var entries = example.Bundle["entry"]!.AsArray();
        var receiverEntry = entries.Single(e => ReferenceEquals(e!["resource"], example.Receiver))!;
        entries.Add(receiverEntry.DeepClone());

        AssertError(example.Validate(withPackages), "hub-entry-fullurl-unique", "MSG_DUPLICATE_ID", $"Bundle.entry[{entries.Count - 1}].fullUrl");
    }

    private static void AssertError(ValidationReport report, string rule, string code, string path)
    {
        Assert.False(report.IsValid);
        Assert.True(report.Errors.Any(e => e.Rule == rule && e.MedComCode == code && e.Path == path),
            $"expected Error {rule} {code} at {path}; got:{Environment.NewLine}{Validators.Describe(report)}");
    }
}

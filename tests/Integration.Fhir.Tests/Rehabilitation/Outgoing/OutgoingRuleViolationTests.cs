using System.Text.Json.Nodes;
using Integration.Fhir.Tests.Validation;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Rehabilitation.Outgoing;

/// <summary>One broken rule at a time, derived in memory from the examples in contracts/examples: each gives the expected
/// rule, element path and MedCom issue code as an error, with the built-in rules alone and with MedCom's packages; the reader
/// refuses the same message; no issue text carries the CPR number.</summary>
public sealed class OutgoingRuleViolationTests
{
    public static TheoryData<bool> BothValidators() => new(false, true);

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenCompletedWithoutOutcome_WhenValidated_ThenOutcomeError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.Completed);
        var episode = example.Single("EpisodeOfCare");
        episode.Remove("extension");

        AssertRejected(example, withPackages, "hub-es-outcome", "MSG_BAD_FORMAT", $"{example.PathOf(episode)}.extension", Status);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenCompletedWithUnknownOutcome_WhenValidated_ThenOutcomeCodeError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.Completed);
        var episode = example.Single("EpisodeOfCare");
        episode["extension"]![0]!["valueCoding"]!["code"] = "half-reliant";

        AssertRejected(example, withPackages, "hub-es-outcome", MedComIssueCodes.CodeSystemValueUnknown,
            $"{example.PathOf(episode)}.extension[0].value.code", Status);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenReceivedWithAnOutcome_WhenValidated_ThenOutcomeError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.Received);
        var episode = example.Single("EpisodeOfCare");
        var outcome = ContractExamples.Load(OutgoingExampleTests.Completed).Single("EpisodeOfCare")["extension"]![0]!.DeepClone();
        episode["extension"] = new JsonArray(outcome);

        AssertError(example, example.Validate(withPackages), "hub-es-outcome", "MSG_BAD_FORMAT", $"{example.PathOf(episode)}.extension[0]");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenStartPlannedWithoutDate_WhenValidated_ThenStartDateError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.StartPlanned);
        var episode = example.Single("EpisodeOfCare");
        episode.Remove("period");

        AssertRejected(example, withPackages, "hub-es-start-date", "MSG_BAD_FORMAT", $"{example.PathOf(episode)}.period.start", Status);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenCancelledWithoutReason_WhenValidated_ThenCancelReasonError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.Cancelled);
        var episode = example.Single("EpisodeOfCare");
        episode.Remove("extension");

        AssertRejected(example, withPackages, "hub-es-cancel-reason", "MSG_BAD_FORMAT", $"{example.PathOf(episode)}.extension", Status);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenUnknownStatusActivity_WhenValidated_ThenActivityCodeError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.Received);
        var provenance = example.OwnProvenance;
        provenance["activity"]!["coding"]![0]!["code"] = "episode-paused";

        AssertRejected(example, withPackages, "hub-activity-code", MedComIssueCodes.CodeSystemValueUnknown,
            $"{example.PathOf(provenance)}.activity.coding[0].code", Status);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenEpisodeOfCareStatusTheMessageDoesNotUse_WhenValidated_ThenStatusError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.Received);
        var episode = example.Single("EpisodeOfCare");
        episode["status"] = "onhold";

        AssertRejected(example, withPackages, "hub-es-status", MedComIssueCodes.ValueSetValueUnknown, $"{example.PathOf(episode)}.status", Status);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenEpisodeOfCareStatusThatContradictsTheActivity_WhenValidated_ThenStatusError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.StartPlanned);
        var episode = example.Single("EpisodeOfCare");
        episode["status"] = "active";

        AssertRejected(example, withPackages, "hub-es-status", MedComIssueCodes.ValueSetValueUnknown, $"{example.PathOf(episode)}.status", Status);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenStatusActivityInMedComsCodeSystem_WhenValidated_ThenActivityCodeError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.Received);
        var provenance = example.OwnProvenance;
        provenance["activity"]!["coding"]![0]!["system"] = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes";

        AssertError(example, example.Validate(withPackages), "hub-activity-code", MedComIssueCodes.CodeSystemValueUnknown,
            $"{example.PathOf(provenance)}.activity.coding[0].system");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenEventCodeInMedComsCodeSystem_WhenValidated_ThenEventCodeError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.Received);
        example.Header["eventCoding"]!["system"] = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes";

        AssertError(example, example.Validate(withPackages), "hub-event-code", MedComIssueCodes.CodeSystemValueUnknown, "Bundle.entry[0].resource.event.code");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenEpisodeWithoutAnsweredPlan_WhenValidated_ThenIdentifiersError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.Received);
        var episode = example.Single("EpisodeOfCare");
        episode.Remove("referralRequest");

        AssertRejected(example, withPackages, "hub-es-identifiers", "MSG_BAD_FORMAT", $"{example.PathOf(episode)}.referralRequest", Status);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenEpisodeWithoutResponsibleUnit_WhenValidated_ThenResponsibleUnitError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.Received);
        var episode = example.Single("EpisodeOfCare");
        episode.Remove("managingOrganization");

        AssertRejected(example, withPackages, "hub-es-responsible-unit", "MSG_RESOURCE_REQUIRED", $"{example.PathOf(episode)}.managingOrganization", Status);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenStatusWithoutEpisodeOfCare_WhenValidated_ThenEpisodeError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.Received);
        Entries(example.Bundle).Remove(Entries(example.Bundle).Single(e => (string?)e!["resource"]!["resourceType"] == "EpisodeOfCare"));

        AssertRejected(example, withPackages, "hub-es-episode", "MSG_RESOURCE_REQUIRED", "Bundle.entry", Status);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenStatusWithoutCpr_WhenValidated_ThenPatientCprError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.Received);
        example.Patient["identifier"]![0]!["system"] = "urn:oid:1.2.208.176.1.6.1.1";

        AssertRejected(example, withPackages, "hub-patient-cpr", "MSG_ID_INVALID", $"{example.PathOf(example.Patient)}.identifier", Status);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenStatusWithCcDestination_WhenValidated_ThenNoCarbonCopyError(bool withPackages)
    {
        // A status goes to the hospital and to the GP as two messages, each acknowledged on its own.
        var example = ContractExamples.Load(OutgoingExampleTests.Received);
        var cc = example.Header["destination"]![0]!.DeepClone();
        cc["extension"]![0]!["valueCoding"]!["code"] = "cc";
        example.Header["destination"]!.AsArray().Add(cc);

        AssertError(example, example.Validate(withPackages), "hub-destination-no-cc", "MSG_BAD_FORMAT", "Bundle.entry[0].resource.destination[1]");
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenAdmissionReportWithoutServices_WhenValidated_ThenServicesError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.AdmissionReport);
        var carePlan = example.Single("CarePlan");
        carePlan.Remove("activity");

        AssertRejected(example, withPackages, "hub-ar-services", "MSG_BAD_FORMAT", $"{example.PathOf(carePlan)}.activity", Report);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenServiceWithUnknownLegalBasis_WhenValidated_ThenLegalBasisError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.AdmissionReport);
        var carePlan = example.Single("CarePlan");
        carePlan["activity"]![1]!["detail"]!["extension"]![0]!["valueCoding"]!["code"] = "serviceloven-84";

        AssertRejected(example, withPackages, "hub-ar-legal-basis", MedComIssueCodes.CodeSystemValueUnknown,
            $"{example.PathOf(carePlan)}.activity[1].detail.extension[0].value.code", Report);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenServiceWithoutLegalBasis_WhenValidated_ThenLegalBasisError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.AdmissionReport);
        var carePlan = example.Single("CarePlan");
        carePlan["activity"]![2]!["detail"]!.AsObject().Remove("extension");

        AssertRejected(example, withPackages, "hub-ar-legal-basis", "MSG_BAD_FORMAT", $"{example.PathOf(carePlan)}.activity[2].detail.extension", Report);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenServiceWithoutName_WhenValidated_ThenServicesError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.AdmissionReport);
        var carePlan = example.Single("CarePlan");
        carePlan["activity"]![0]!["detail"]!.AsObject().Remove("code");

        AssertRejected(example, withPackages, "hub-ar-services", "MSG_BAD_FORMAT", $"{example.PathOf(carePlan)}.activity[0].detail.code.text", Report);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenReportThatNamesNoNotification_WhenValidated_ThenNotificationError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.AdmissionReport);
        var provenance = example.OwnProvenance;
        provenance.Remove("entity");

        AssertRejected(example, withPackages, "hub-ar-notification", "MSG_BAD_FORMAT", $"{example.PathOf(provenance)}.entity", Report);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenReportWithoutStay_WhenValidated_ThenStayError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.AdmissionReport);
        var carePlan = example.Single("CarePlan");
        carePlan.Remove("supportingInfo");

        AssertRejected(example, withPackages, "hub-ar-stay", "MSG_BAD_FORMAT", $"{example.PathOf(carePlan)}.supportingInfo", Report);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenContactWithoutPhone_WhenValidated_ThenContactError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.AdmissionReport);
        var carePlan = example.Single("CarePlan");
        var contact = Resources(example.Bundle, "Organization").Single(o => o["telecom"] is not null);
        contact.Remove("telecom");

        AssertRejected(example, withPackages, "hub-ar-contact", "MSG_BAD_FORMAT", $"{example.PathOf(carePlan)}.author", Report);
    }

    [Theory]
    [MemberData(nameof(BothValidators))]
    public void GivenReportWithoutCarePlan_WhenValidated_ThenCarePlanError(bool withPackages)
    {
        var example = ContractExamples.Load(OutgoingExampleTests.AdmissionReport);
        Entries(example.Bundle).Remove(Entries(example.Bundle).Single(e => (string?)e!["resource"]!["resourceType"] == "CarePlan"));

        AssertRejected(example, withPackages, "hub-ar-careplan", "MSG_RESOURCE_REQUIRED", "Bundle.entry", Report);
    }

    [Fact]
    public void GivenEveryBuiltInRule_WhenListed_ThenTheOutgoingRulesAreDescribedOnce()
    {
        var names = FhirServices.LoadValidator(null).Description.BuiltInRules.Select(r => r.Name).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Superset(new HashSet<string>
        {
            "hub-es-episode", "hub-es-status", "hub-es-identifiers", "hub-es-start-date", "hub-es-outcome", "hub-es-cancel-reason",
            "hub-es-responsible-unit", "hub-ar-careplan", "hub-ar-notification", "hub-ar-stay", "hub-ar-services", "hub-ar-legal-basis",
            "hub-ar-contact",
        }, names.ToHashSet());
    }

    private static bool Status(string json) => FhirServices.EpisodeStatusReader.Read(json) is { Succeeded: false, Errors.Count: > 0 };

    private static bool Report(string json) => FhirServices.AdmissionReportReader.Read(json) is { Succeeded: false, Errors.Count: > 0 };

    /// <summary>The validator reports the rule; the reader refuses the message too (errors, never a half-read message).</summary>
    private static void AssertRejected(ContractExamples example, bool withPackages, string rule, string code, string path, Func<string, bool> readerRefuses)
    {
        AssertError(example, example.Validate(withPackages), rule, code, path);
        Assert.True(readerRefuses(example.Json), "the reader accepted a message the validator rejects");
    }

    private static void AssertError(ContractExamples example, ValidationReport report, string rule, string code, string path)
    {
        if (!report.Errors.Any(e => e.Rule == rule && e.MedComCode == code && e.Path == path))
        {
            Assert.Fail($"expected {rule} {code} at {path}; got:{Environment.NewLine}{Validators.Describe(report)}");
        }

        var cpr = (string)example.Patient["identifier"]![0]!["value"]!;
        Assert.All(report.Issues, i => Assert.False(i.Text.Contains(cpr, StringComparison.Ordinal), "an issue text carries the CPR number"));
    }
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Integration.Fhir.Validation.Packages;
using Integration.Fhir.Validation.Rules;

namespace Integration.Fhir.Tests.Validation;

/// <summary>The rules the validator takes from MedCom's packages: what it loads, what it skips (and says so), what only the
/// packages catch, and warnings that do not reject.</summary>
public sealed class PackageRuleTests
{
    private static ValidatorDescription Description => Validators.PackagesDescription;

    [Theory]
    [InlineData("hospital-notification-message", "medcom-hospitalNotification-message")]
    [InlineData("hospital-notification-message", "medcom-hospitalNotification-encounter")]
    [InlineData("care-communication-message", "medcom-careCommunication-message")]
    [InlineData("care-communication-message", "medcom-careCommunication-communication")]
    [InlineData("care-communication-message (4.0.3)", "medcom-careCommunication-message")]
    [InlineData("acknowledgement-message", "medcom-messaging-acknowledgement")]
    [InlineData("*", "medcom-messaging-message")]
    public void GivenPackagesFolder_WhenLoaded_ThenTheMessageProfilesHaveInvariants(string messageType, string profile)
    {
        var loaded = Assert.Single(Description.Profiles,
            p => p.MessageType == messageType && p.Profile.EndsWith("/" + profile, StringComparison.Ordinal));

        Assert.True(loaded.Invariants > 0, $"{profile}: no invariants loaded");
    }

    [Fact]
    public void GivenPackagesFolder_WhenLoaded_ThenEveryPackageIsReadAndEveryProfileFound()
    {
        Assert.Equal(18, Description.Packages.Count);
        Assert.Contains("medcom.fhir.dk.terminology#2.0.2", Description.Packages);
        Assert.Empty(Description.Problems);
        Assert.Equal(HubRules.All.Count, Description.BuiltInRules.Count);
        Assert.Contains(Description.Profiles, p => p.Bindings > 0);
    }

    [Fact]
    public void GivenPackagesFolder_WhenLoaded_ThenConstraintsFirelyCannotEvaluateAreListedWithTheirReason()
    {
        // conformsTo() needs a profile validator; Firely's FHIRPath engine has no such function.
        Assert.Contains(Description.Skipped, s => s.Key == "medcom-messaging-1" && s.Reason.Contains("conformsTo", StringComparison.Ordinal));
        Assert.Contains(Description.Skipped, s => s.Key == "medcom-acknowledgement-2" && s.Reason.Contains("conformsTo", StringComparison.Ordinal));
        // medcom-hospitalNotification-3 names the ValueSet by an old canonical (…/fhir/dk-medcom-terminology/…) that no
        // terminology package defines (it is also vacuous: entry.ofType(Provenance) is always empty).
        Assert.Contains(Description.Skipped, s => s.Key == "medcom-hospitalNotification-3" && s.Reason.Contains("memberOf", StringComparison.Ordinal));
        // The attachment MIME type binding sits on a slice.
        Assert.Contains(Description.Skipped, s => s.Key == "binding:Communication.payload:attachment.content[x].contentType");
        Assert.All(Description.Skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
        Assert.Contains("skipped medcom-messaging-1", Description.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void GivenNoPackagesFolder_WhenLoaded_ThenOnlyBuiltInRulesAreDescribed()
    {
        var description = FhirServices.LoadValidator(null).Description;

        Assert.Null(description.PackagesFolder);
        Assert.Empty(description.Profiles);
        Assert.NotEmpty(description.BuiltInRules);
        Assert.All(description.BuiltInRules, r => Assert.StartsWith("hub-", r.Name, StringComparison.Ordinal));
    }

    [Fact]
    public void GivenMissingPackagesFolder_WhenLoaded_ThenItIsAProblemNotACrashAndBuiltInRulesStillApply()
    {
        var loaded = FhirServices.LoadValidator(Path.Combine(Path.GetTempPath(), "no-such-medcom-packages-" + Guid.NewGuid().ToString("N")));

        Assert.NotEmpty(loaded.Description.Problems);
        var example = Example.Load(Example.HospitalNotification);
        example.Remove("Provenance");
        Assert.Contains(loaded.Validator.Validate(example.Bundle.ToJsonString()).Errors, e => e.Rule == "hub-provenance-required");
    }

    [Fact]
    public void GivenCareCommunicationInCategoryOtherWithoutTopic_WhenValidated_ThenOnlyThePackageInvariantCatchesIt()
    {
        // medcom-careCommunication-6: "There shall exist a Communication.topic when Communication.category = 'other'".
        // No built-in rule covers it: this one comes from the package alone.
        var example = Example.Load(Example.CareCommunication);
        var communication = example.Single("Communication");
        communication["category"]![0]!["coding"]![0]!["code"] = "other";
        communication.Remove("topic");

        Assert.True(example.Validate(withPackages: false).IsValid);
        var error = Assert.Single(example.Validate(withPackages: true).Errors);
        Assert.Equal("medcom-careCommunication-6", error.Rule);
        Assert.Equal(example.PathOf(communication), error.Path);
        Assert.Equal("MSG_BAD_FORMAT", error.MedComCode);
        Assert.Contains("topic", error.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenEncounterOnLeaveWithoutLeavePeriod_WhenValidated_ThenOnlyThePackageInvariantCatchesIt()
    {
        // medcom-hospitalNotification-6: status onleave needs the leave period's start (an extension).
        var example = Example.Load(Example.HospitalNotification);
        var encounter = example.Single("Encounter");
        encounter["status"] = "onleave";
        encounter.Remove("extension");

        Assert.True(example.Validate(withPackages: false).IsValid);
        var error = Assert.Single(example.Validate(withPackages: true).Errors);
        Assert.Equal("medcom-hospitalNotification-6", error.Rule);
        Assert.Equal(example.PathOf(encounter), error.Path);
    }

    [Fact]
    public void GivenCommunicationPriorityOutsideMedComsValueSet_WhenValidated_ThenThePackageBindingAndInvariantCatchIt()
    {
        // FHIR allows urgent; MedCom's medcom-careCommunication-requestPriority only routine and asap, and only for
        // category regarding-referral (medcom-careCommunication-5).
        var example = Example.Load(Example.CareCommunication);
        var communication = example.Single("Communication");
        communication["priority"] = "urgent";

        Assert.True(example.Validate(withPackages: false).IsValid);
        var report = example.Validate(withPackages: true);
        var binding = Assert.Single(report.Errors, e => e.Rule == "binding:Communication.priority");
        Assert.Equal("MSG_VALUESET_VALUE_UNKNOWN", binding.MedComCode);
        Assert.Equal($"{example.PathOf(communication)}.priority", binding.Path);
        Assert.Single(report.Errors, e => e.Rule == "medcom-careCommunication-5");
    }

    [Fact]
    public void GivenPatientMaritalStatusBothPAndA_WhenValidated_ThenThePackageWarnsAndTheMessageStaysValid()
    {
        // marital-status-unknown-usage (severity warning in medcom-core-patient): P and A are unknown in a Danish context.
        // As MedCom wrote it ("… .empty() or … .empty()") it fires only when both codes are present.
        var example = Example.Load(Example.HospitalNotification);
        var patient = example.Single("Patient");
        patient["maritalStatus"] = new JsonObject
        {
            ["coding"] = new JsonArray(
                new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", ["code"] = "P" },
                new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", ["code"] = "A" }),
        };

        var report = example.Validate(withPackages: true);

        Assert.True(report.IsValid);
        var warning = Assert.Single(report.Issues);
        Assert.Equal(ValidationSeverity.Warning, warning.Severity);
        Assert.Equal("marital-status-unknown-usage", warning.Rule);
        Assert.Equal(example.PathOf(patient), warning.Path);
        Assert.Empty(report.Errors);
    }

    [Fact]
    public void GivenAcknowledgementWithSelfDefinedIssueCode_WhenValidated_ThenWarningOnlyAndStillValid()
    {
        // MedCom binds the issue details as required, yet allows self-defined issue descriptions: the hub warns.
        var example = Example.Load(Example.FatalErrorAcknowledgement);
        var outcome = example.Single("OperationOutcome");
        outcome["issue"]![0]!["details"]!["coding"]![0]!["code"] = "LOCAL_RULE_42";

        foreach (var withPackages in new[] { false, true })
        {
            var report = example.Validate(withPackages);
            Assert.True(report.IsValid, Validators.Describe(report));
            var warning = Assert.Single(report.Issues);
            Assert.Equal(ValidationSeverity.Warning, warning.Severity);
            Assert.Equal("hub-ack-issue-code", warning.Rule);
            Assert.Equal($"{example.PathOf(outcome)}.issue[0].details.coding[0]", warning.Path);
        }
    }

    [Fact]
    public void GivenEveryMedComExample_WhenValidatedWithPackages_ThenNoPackageRuleFailsToEvaluate()
    {
        var failures = new ConcurrentBag<SkippedConstraint>();
        var validator = FhirServices.LoadValidator(Validators.PackagesFolder, failures.Add).Validator;

        foreach (var file in MedCom.AllExampleFiles())
        {
            var format = file.EndsWith(".xml", StringComparison.Ordinal) ? FhirFormat.Xml : FhirFormat.Json;
            if (FhirServices.Parser.Parse(MedCom.Bytes(file), format).Message is { } message)
            {
                validator.Validate(message.FhirJson);
            }
        }

        Assert.Empty(failures.Select(f => $"{f.Key} of {f.Profile}: {f.Reason}"));
    }

    [Fact]
    public void GivenBuiltInCodeLists_WhenComparedWithTheTerminologyPackage_ThenTheyAreTheSame()
    {
        var terminology = new PackageTerminology(FhirPackage.Read(Path.Combine(Validators.PackagesFolder, "medcom.fhir.dk.terminology-2.0.2.tgz")));
        const string root = "http://medcomfhir.dk/ig/terminology/ValueSet/";

        AssertSame(terminology, root + "medcom-messaging-messageTypes", MedComCodeLists.EventCodes);
        AssertSame(terminology, root + "medcom-messaging-activityCodes", MedComCodeLists.ActivityCodes);
        AssertSame(terminology, root + "medcom-hospitalNotification-messageActivities", MedComCodeLists.HospitalNotificationActivities);
        AssertSame(terminology, root + "medcom-careCommunication-messagingActivities", MedComCodeLists.CareCommunicationActivities);
        AssertSame(terminology, root + "medcom-careCommunication-categories", MedComCodeLists.CareCommunicationCategories);
        AssertSame(terminology, root + "medcom-hospitalNotification-encounterClass", MedComCodeLists.EncounterClasses);
        AssertSame(terminology, root + "medcom-hospitalNotification-encounterStatus", MedComCodeLists.EncounterStatuses);
        Assert.True(terminology.TryGetValueSet(root + "medcom-acknowledgement-issue-details", out var issueDetails));
        Assert.Equal(
            MedComCodeLists.AcknowledgementHl7IssueCodes.Order(StringComparer.Ordinal),
            issueDetails.Codes.Where(c => c.System == MedComCodeLists.OperationOutcomeCodeSystem).Select(c => c.Code).Order(StringComparer.Ordinal));
        Assert.All(issueDetails.Codes.Where(c => c.System == MedComCodeLists.AcknowledgementErrorCodeSystem),
            c => Assert.True(MedComIssueCodes.IsMedComCode(c.Code), c.Code));
    }

    private static void AssertSame(PackageTerminology terminology, string valueSet, IEnumerable<string> builtIn)
    {
        Assert.True(terminology.TryGetValueSet(valueSet, out var expanded), valueSet);
        Assert.Equal(builtIn.Order(StringComparer.Ordinal), expanded.Codes.Select(c => c.Code).Order(StringComparer.Ordinal));
    }
}

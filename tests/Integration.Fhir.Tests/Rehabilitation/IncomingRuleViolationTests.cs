using System.Text.Json.Nodes;
using Integration.Fhir.Tests.Validation;
using Integration.Fhir.Validation.Rules;

namespace Integration.Fhir.Tests.Rehabilitation;

/// <summary>One broken rule at a time, derived in memory from the contract examples: the validator (with and without MedCom's
/// packages) and the reader each report it as an error with the rule, the element path and the MedCom issue code.</summary>
public sealed class IncomingRuleViolationTests
{
    private const string BadFormat = "MSG_BAD_FORMAT";
    private const string MedComActivities = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes";

    /// <summary>A way to break an example: which example, what to change, and the error it must give.</summary>
    private sealed record Violation(string File, Action<ContractExamples> Break, string Rule, string Code, Func<ContractExamples, string> Path);

    private static readonly Dictionary<string, Violation> Violations = new(StringComparer.Ordinal)
    {
        ["unknown level"] = new(ContractExamples.TrainingPlanNew,
            e => Category(e)["code"] = "almen-ekstra",
            "hub-tp-level", MedComIssueCodes.CodeSystemValueUnknown, e => Request(e) + ".category[0].coding[0].code"),
        ["level coded in another code system"] = new(ContractExamples.TrainingPlanNew,
            e => Category(e)["system"] = "http://fhir.kl.dk/term/CodeSystem/CareSocialCodes",
            "hub-tp-level", MedComIssueCodes.ValueSetValueUnknown, e => Request(e) + ".category"),
        ["missing discharge date"] = new(ContractExamples.TrainingPlanNew,
            e => e.Request.Remove("extension"),
            "hub-tp-discharge-date", BadFormat, e => Request(e) + ".extension"),
        ["discharge date as dateTime"] = new(ContractExamples.TrainingPlanNew,
            e => e.Request["extension"]![0] = new JsonObject
            {
                ["url"] = "http://rehab-hub.dk/fhir/StructureDefinition/rehab-discharge-date",
                ["valueDateTime"] = "2025-03-10T10:00:00+01:00",
            },
            "hub-tp-discharge-date", MedComIssueCodes.DatatypeWrong, e => Request(e) + ".extension[0].value"),
        ["discharge date of a month only"] = new(ContractExamples.TrainingPlanNew,
            e => e.Request["extension"]![0]!["valueDate"] = "2025-03",
            "hub-tp-discharge-date", "MSG_DATE_FORMAT", e => Request(e) + ".extension[0].value"),
        ["first contact offered as a date only"] = new(ContractExamples.TrainingPlanNew,
            e => e.Request["occurrencePeriod"]!["start"] = "2025-03-14",
            "hub-tp-first-contact", "MSG_DATE_FORMAT", e => Request(e) + ".occurrence.start"),
        ["no function assessment"] = new(ContractExamples.TrainingPlanNew,
            e => e.Request.Remove("note"),
            "hub-tp-function-assessment", BadFormat, e => Request(e) + ".note"),
        ["goal not in the Bundle"] = new(ContractExamples.TrainingPlanNew,
            e => e.Request["supportingInfo"]![1]!["reference"] = "Goal/2b0f4c8e-0000-4000-8000-000000000000",
            "hub-tp-goal", BadFormat, e => Request(e) + ".supportingInfo[1]"),
        ["goal without description text"] = new(ContractExamples.TrainingPlanNew,
            e => e.Bundle["entry"]![3]!["resource"]!["description"] = new JsonObject
            {
                ["coding"] = new JsonArray(new JsonObject { ["system"] = "http://snomed.info/sct", ["code"] = "129006008" }),
            },
            "hub-tp-goal", BadFormat, e => "Bundle.entry[3].resource.description"),
        ["training plan with intent order"] = new(ContractExamples.TrainingPlanNew,
            e => e.Request["intent"] = "order",
            "hub-rehab-intent", MedComIssueCodes.ValueSetValueUnknown, e => Request(e) + ".intent"),
        ["referral with intent plan"] = new(ContractExamples.ReferralDiabetes,
            e => e.Request["intent"] = "plan",
            "hub-rehab-intent", MedComIssueCodes.ValueSetValueUnknown, e => Request(e) + ".intent"),
        ["unknown programme"] = new(ContractExamples.ReferralDiabetes,
            e => Category(e)["code"] = "dentist",
            "hub-ref-programme", MedComIssueCodes.CodeSystemValueUnknown, e => Request(e) + ".category[0].coding[0].code"),
        ["referral without programme"] = new(ContractExamples.ReferralFreePhysiotherapy,
            e => e.Request.Remove("category"),
            "hub-ref-programme", BadFormat, e => Request(e) + ".category"),
        ["training plan without requester"] = new(ContractExamples.TrainingPlanNew,
            e => e.Request.Remove("requester"),
            "hub-rehab-requester", BadFormat, e => Request(e) + ".requester"),
        ["referral without requester"] = new(ContractExamples.ReferralDiabetes,
            e => e.Request.Remove("requester"),
            "hub-rehab-requester", BadFormat, e => Request(e) + ".requester"),
        ["requester not in the Bundle"] = new(ContractExamples.ReferralDiabetes,
            e => e.Request["requester"]!["reference"] = "Organization/5d8f2a9c-0000-4000-8000-000000000000",
            "hub-rehab-requester", BadFormat, e => Request(e) + ".requester"),
        ["training plan CPR with no such date"] = new(ContractExamples.TrainingPlanNew,
            e => Cpr(e)["value"] = "3102909100", // 31 February
            "hub-cpr-format", "MSG_ID_INVALID", e => e.PathOf(e.Patient) + ".identifier[0].value"),
        ["referral CPR with no such date"] = new(ContractExamples.ReferralFreePhysiotherapy,
            e => Cpr(e)["value"] = "2213479101", // month 13
            "hub-cpr-format", "MSG_ID_INVALID", e => e.PathOf(e.Patient) + ".identifier[0].value"),
        ["Patient without CPR number"] = new(ContractExamples.ReferralDiabetes,
            e => Cpr(e)["system"] = "urn:oid:1.2.208.176.1.6.1.1",
            "hub-patient-cpr", "MSG_ID_INVALID", e => e.PathOf(e.Patient) + ".identifier"),
        ["no plan identifier"] = new(ContractExamples.TrainingPlanNew,
            e => e.Request.Remove("identifier"),
            "hub-rehab-identifier", BadFormat, e => Request(e) + ".identifier"),
        ["no diagnosis"] = new(ContractExamples.ReferralDiabetes,
            e => e.Request.Remove("reasonCode"),
            "hub-rehab-reason", BadFormat, e => Request(e) + ".reasonCode"),
        ["diagnosis in neither SKS nor ICD-10"] = new(ContractExamples.TrainingPlanNew,
            e => e.Request["reasonCode"]![0]!["coding"]![0]!["system"] = "http://snomed.info/sct",
            "hub-rehab-reason", MedComIssueCodes.ValueSetValueUnknown, e => Request(e) + ".reasonCode"),
        ["unknown status reason"] = new(ContractExamples.TrainingPlanRevised,
            e => e.Request["extension"]![1]!["valueCodeableConcept"]!["coding"]![0]!["code"] = "bad-weather",
            "hub-rehab-status-reason", MedComIssueCodes.CodeSystemValueUnknown, e => Request(e) + ".extension[1].value.coding[0].code"),
        ["revision that names no plan"] = new(ContractExamples.TrainingPlanRevised,
            e => e.OwnProvenance.Remove("entity"),
            "hub-rehab-revision", BadFormat, e => e.PathOf(e.OwnProvenance) + ".entity"),
        ["cancellation that names another plan"] = new(ContractExamples.TrainingPlanCancelled,
            e => e.OwnProvenance["entity"]![0]!["what"]!["identifier"]!["value"] = "urn:uuid:0f1e2d3c-0000-4000-8000-000000000000",
            "hub-rehab-revision", "MSG_NO_MATCH", e => e.PathOf(e.OwnProvenance) + ".entity[0].what.identifier.value"),
        ["cancellation still active"] = new(ContractExamples.TrainingPlanCancelled,
            e => e.Request["status"] = "active",
            "hub-rehab-status", MedComIssueCodes.ValueSetValueUnknown, e => Request(e) + ".status"),
        ["new plan entered-in-error"] = new(ContractExamples.TrainingPlanNew,
            e => e.Request["status"] = "entered-in-error",
            "hub-rehab-status", MedComIssueCodes.ValueSetValueUnknown, e => Request(e) + ".status"),
        ["unknown activity"] = new(ContractExamples.TrainingPlanNew,
            e => Activity(e)["code"] = "new-plan",
            "hub-activity-code", MedComIssueCodes.CodeSystemValueUnknown, e => e.PathOf(e.OwnProvenance) + ".activity.coding[0].code"),
        ["referral activity in a training plan"] = new(ContractExamples.TrainingPlanNew,
            e => Activity(e)["code"] = "new-referral",
            "hub-activity-code", MedComIssueCodes.ValueSetValueUnknown, e => e.PathOf(e.OwnProvenance) + ".activity.coding[0].code"),
        ["activity in MedCom's code system"] = new(ContractExamples.ReferralDiabetes,
            e => Activity(e)["system"] = MedComActivities,
            "hub-activity-code", MedComIssueCodes.CodeSystemValueUnknown, e => e.PathOf(e.OwnProvenance) + ".activity.coding[0].system"),
        ["subject is not the Patient"] = new(ContractExamples.TrainingPlanNew,
            e => e.Request["subject"]!["reference"] = (string)e.Request["requester"]!["reference"]!,
            "hub-rehab-subject", BadFormat, e => Request(e) + ".subject"),
        ["no authoredOn"] = new(ContractExamples.ReferralDiabetes,
            e => e.Request.Remove("authoredOn"),
            "hub-rehab-authored-on", BadFormat, e => Request(e) + ".authoredOn"),
        ["focus on the Patient"] = new(ContractExamples.ReferralDiabetes,
            e => e.Header["focus"]![0]!["reference"] = $"Patient/{e.Patient["id"]}",
            "hub-rehab-service-request", "MSG_RESOURCE_REQUIRED", e => "Bundle.entry[0].resource.focus"),
    };

    public static TheoryData<string, bool> ViolationsWithEachValidator()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in Violations.Keys)
        {
            data.Add(name, false);
            data.Add(name, true);
        }

        return data;
    }

    public static TheoryData<string> ViolationNames() => [.. Violations.Keys];

    [Theory]
    [MemberData(nameof(ViolationsWithEachValidator))]
    public void GivenOneBrokenRule_WhenValidated_ThenItIsTheError(string violation, bool withPackages)
    {
        var (example, expected) = Broken(violation);

        var report = example.Validate(withPackages);

        Assert.False(report.IsValid);
        Assert.True(report.Errors.Any(e => e.Rule == expected.Rule && e.MedComCode == expected.Code && e.Path == expected.Path(example)),
            $"expected Error {expected.Rule} {expected.Code} at {expected.Path(example)}; got:{Environment.NewLine}{Validators.Describe(report)}");
    }

    [Theory]
    [MemberData(nameof(ViolationNames))]
    public void GivenOneBrokenRule_WhenRead_ThenTheReaderGivesTheSameIssueAndNoValues(string violation)
    {
        var (example, expected) = Broken(violation);
        var path = expected.Path(example);

        var (succeeded, errors) = Read(expected.File, example.Json);

        Assert.False(succeeded);
        Assert.True(errors.Any(e => e.Rule == expected.Rule && e.Code == expected.Code && e.Path == path),
            $"expected {expected.Rule} {expected.Code} at {path}; got:{Environment.NewLine}"
            + string.Join(Environment.NewLine, errors.Select(e => $"{e.Rule} {e.Code} at {e.Path}")));
    }

    [Fact]
    public void GivenBadCpr_WhenValidatedAndRead_ThenNoTextQuotesIt()
    {
        var (example, _) = Broken("training plan CPR with no such date");
        var cpr = (string)Cpr(example)["value"]!;

        var texts = example.Validate(withPackages: true).Issues.Select(i => i.Text)
            .Concat(FhirServices.TrainingPlanReader.Read(example.Json).Errors.Select(e => e.Text));

        Assert.All(texts, text => Assert.DoesNotContain(cpr, text, StringComparison.Ordinal));
    }

    [Fact]
    public void GivenTheViolations_WhenListed_ThenEveryTrainingPlanAndReferralRuleIsBrokenByOne()
    {
        var rules = RehabilitationRequestRules.All.Concat(TrainingPlanRules.All).Concat(ReferralRules.All).Select(r => r.Name);

        Assert.Empty(rules.Except(Violations.Values.Select(v => v.Rule)));
        Assert.Superset(rules.ToHashSet(), FhirServices.LoadValidator(null).Description.BuiltInRules.Select(r => r.Name).ToHashSet());
    }

    private static (ContractExamples Example, Violation Expected) Broken(string violation)
    {
        var expected = Violations[violation];
        var example = ContractExamples.Load(expected.File);
        expected.Break(example);
        return (example, expected);
    }

    private static (bool Succeeded, IReadOnlyList<MedComIssue> Errors) Read(string file, string json)
    {
        if (ContractExamples.TrainingPlans.Contains(file))
        {
            var plan = FhirServices.TrainingPlanReader.Read(json);
            return (plan.Succeeded || plan.Plan is not null, plan.Errors);
        }

        var referral = FhirServices.ReferralReader.Read(json);
        return (referral.Succeeded || referral.Referral is not null, referral.Errors);
    }

    private static string Request(ContractExamples example) => example.PathOf(example.Request);

    private static JsonObject Category(ContractExamples example) => example.Request["category"]![0]!["coding"]![0]!.AsObject();

    private static JsonObject Activity(ContractExamples example) => example.OwnProvenance["activity"]!["coding"]![0]!.AsObject();

    private static JsonObject Cpr(ContractExamples example) =>
        example.Patient["identifier"]!.AsArray().Single(i => (string?)i!["system"] == "urn:oid:1.2.208.176.1.2")!.AsObject();
}

using System.Text.Json.Nodes;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Rehabilitation;

/// <summary>The training-plan reader over the contract examples: a new plan from Herlev hospital's heart department to
/// Plejecenter Herlev, its revision (RE_: the start postponed) and its cancellation (AN_: sent in error).</summary>
public sealed class TrainingPlanReaderTests
{
    private const string PlanIdentifier = "urn:uuid:ab592b56-e8aa-44e2-97e8-efa9d6cc8b9b";
    private const string NewHeaderId = "82ff2d5b-b2ea-4814-8952-6007f1e9eebf";
    private const string RevisedHeaderId = "67675d92-1772-40b5-b4bb-11641f862d56";
    private const string ArdenLaegehusSor = "382871000016004";

    private static readonly ITrainingPlanReader Reader = FhirServices.TrainingPlanReader;

    [Fact]
    public void GivenNewPlan_WhenRead_ThenEveryValueIsThePlans()
    {
        var example = ContractExamples.Load(ContractExamples.TrainingPlanNew);

        var plan = ReadOk(example.Json);

        Assert.Equal(NewHeaderId, plan.MessageHeaderId);
        Assert.Equal(RehabilitationRequestAction.New, plan.Action);
        Assert.Equal(PlanIdentifier, plan.PlanIdentifier);
        Assert.Equal("urn:ietf:rfc:3986", plan.PlanIdentifierSystem);
        Assert.Null(plan.PreviousMessageHeaderId);
        Assert.Equal(TrainingPlanLevel.GeneralAdvanced, plan.Level);
        Assert.Equal(new DateOnly(2025, 3, 10), plan.DischargeDate);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 10, 0, 0, TimeSpan.FromHours(1)), plan.FirstContactOffered);
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 11, 30, 0, TimeSpan.FromHours(1)), plan.AuthoredOn);
        Assert.Equal(new DateTimeOffset(2025, 3, 10, 12, 0, 0, TimeSpan.FromHours(1)), plan.SentAt);
        Assert.Equal(new DiagnosisCode("urn:oid:1.2.208.176.2.4", "DI214", "Akut subendokardielt myokardieinfarkt"), plan.FocusCondition);
        Assert.StartsWith("Funktionsevne ved udskrivelsen", plan.FunctionAssessment, StringComparison.Ordinal);
        Assert.Contains("Fælles Sprog III", plan.FunctionAssessment, StringComparison.Ordinal);
        Assert.Equal(
            [
                new CitizenGoal("Kunne gå til købmanden (ca. 500 m) og hjem igen uden pause", new DateOnly(2025, 5, 1)),
                new CitizenGoal("Kunne gå op og ned ad trappen til lejligheden på 2. sal uden hjælp", new DateOnly(2025, 4, 15)),
            ],
            plan.Goals);
        Assert.Equal(new OrganizationIdentity("5790000209354", "265161000016000", "Hjerteafdelingen på Herlev og Gentofte hospital"), plan.Requester);
        Assert.Equal(Cpr(example.Bundle), plan.CitizenCpr);
        Assert.Equal(ArdenLaegehusSor, plan.GeneralPractitionerSor);
        Assert.Null(plan.StatusReason);
        Assert.Null(plan.StatusReasonText);
    }

    [Fact]
    public void GivenRevisedPlan_WhenRead_ThenItRevisesThePlanWithTheSameIdentifierAndSaysWhyTheStartIsPostponed()
    {
        var plan = ReadOk(ContractExamples.Load(ContractExamples.TrainingPlanRevised).Json);

        Assert.Equal(RevisedHeaderId, plan.MessageHeaderId);
        Assert.Equal(RehabilitationRequestAction.Revise, plan.Action);
        Assert.Equal(PlanIdentifier, plan.PlanIdentifier);
        Assert.Equal(NewHeaderId, plan.PreviousMessageHeaderId);
        Assert.Equal(new DateTimeOffset(2025, 3, 20, 10, 0, 0, TimeSpan.FromHours(1)), plan.FirstContactOffered);
        Assert.Equal(RehabilitationStatusReason.PostponedStart, plan.StatusReason);
        Assert.Equal("Opstart først efter kontrol i hjerteambulatoriet den 19. marts", plan.StatusReasonText);
    }

    [Fact]
    public void GivenCancelledPlan_WhenRead_ThenItCancelsThePlanWithTheSameIdentifierAsSentInError()
    {
        var plan = ReadOk(ContractExamples.Load(ContractExamples.TrainingPlanCancelled).Json);

        Assert.Equal(RehabilitationRequestAction.Cancel, plan.Action);
        Assert.Equal(PlanIdentifier, plan.PlanIdentifier);
        Assert.Equal(RevisedHeaderId, plan.PreviousMessageHeaderId);
        Assert.Equal(RehabilitationStatusReason.SentInError, plan.StatusReason);
    }

    [Theory]
    [InlineData("almen-basal", TrainingPlanLevel.GeneralBasic)]
    [InlineData("almen-avanceret", TrainingPlanLevel.GeneralAdvanced)]
    [InlineData("specialiseret", TrainingPlanLevel.Specialised)]
    [InlineData("rehabilitering-specialiseret", TrainingPlanLevel.SpecialisedRehabilitation)]
    public void GivenEachLevel_WhenRead_ThenItIsTheLevel(string code, TrainingPlanLevel level)
    {
        var example = ContractExamples.Load(ContractExamples.TrainingPlanNew);
        example.Request["category"]![0]!["coding"]![0]!["code"] = code;

        Assert.Equal(level, ReadOk(example.Json).Level);
    }

    [Fact]
    public void GivenPlanWithoutFirstContactOrGoals_WhenRead_ThenThoseAreEmpty()
    {
        // Both are optional: the hospital may not know the first contact, and the citizen may have stated no goals yet.
        var example = ContractExamples.Load(ContractExamples.TrainingPlanNew);
        example.Request.Remove("occurrencePeriod");
        example.Request.Remove("supportingInfo");

        var plan = ReadOk(example.Json);

        Assert.Null(plan.FirstContactOffered);
        Assert.Empty(plan.Goals);
    }

    [Fact]
    public void GivenGpAsReferenceToAnOrganizationInTheBundle_WhenRead_ThenItsSorIsTheGp()
    {
        var example = ContractExamples.Load(ContractExamples.TrainingPlanNew);
        var clinicId = Guid.NewGuid().ToString();
        Entries(example.Bundle).Add(new JsonObject
        {
            ["fullUrl"] = $"http://rehab-hub.dk/fhir/Organization/{clinicId}",
            ["resource"] = new JsonObject
            {
                ["resourceType"] = "Organization",
                ["id"] = clinicId,
                ["identifier"] = new JsonArray(new JsonObject { ["system"] = "urn:oid:1.2.208.176.1.1", ["value"] = "1017421000016003" }),
                ["name"] = "2100 Lægehuset Østerbro",
            },
        });
        example.Patient["generalPractitioner"] = new JsonArray(new JsonObject { ["reference"] = $"Organization/{clinicId}" });

        Assert.Equal("1017421000016003", ReadOk(example.Json).GeneralPractitionerSor);
    }

    [Fact]
    public void GivenGpNamedByAnotherIdentifierThanSor_WhenRead_ThenTheGpIsSkippedForTheNextOneWithSor()
    {
        // DK core slices generalPractitioner by identifier system: only the SOR slice names the clinic the hub can address.
        var example = ContractExamples.Load(ContractExamples.TrainingPlanNew);
        example.Patient["generalPractitioner"] = new JsonArray(
            new JsonObject { ["identifier"] = new JsonObject { ["system"] = "urn:oid:1.2.208.176.1.4", ["value"] = "012345" } },
            new JsonObject { ["identifier"] = new JsonObject { ["system"] = "urn:oid:1.2.208.176.1.1", ["value"] = ArdenLaegehusSor } });

        Assert.Equal(ArdenLaegehusSor, ReadOk(example.Json).GeneralPractitionerSor);
    }

    [Fact]
    public void GivenPlanWithoutGp_WhenRead_ThenItIsReadWithoutGp()
    {
        var example = ContractExamples.Load(ContractExamples.TrainingPlanNew);
        example.Patient.Remove("generalPractitioner");

        Assert.Null(ReadOk(example.Json).GeneralPractitionerSor);
    }

    [Fact]
    public void GivenReferral_WhenReadAsTrainingPlan_ThenTheMessageTypeIsRefused()
    {
        var result = Reader.Read(ContractExamples.Load(ContractExamples.ReferralDiabetes).Json);

        var error = Assert.Single(result.Errors);
        Assert.False(result.Succeeded);
        Assert.Equal(MedComIssueCodes.ReceiverUnableToReceiveMessageType, error.Code);
    }

    [Fact]
    public void GivenNotJson_WhenRead_ThenErrorNotException()
    {
        var result = Reader.Read("{ not json");

        Assert.False(result.Succeeded);
        Assert.Equal(MedComIssueCodes.DatatypeWrong, Assert.Single(result.Errors).Code);
    }

    private static TrainingPlan ReadOk(string json)
    {
        var result = Reader.Read(json);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors.Select(e => $"{e.Rule} {e.Code} at {e.Path}")));
        return result.Plan!;
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Integration.Fhir.Tests.Validation;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Acknowledgements;

/// <summary>A message that breaks a MedCom rule gets a fatal-error Acknowledgement whose OperationOutcome names the rule,
/// the element path and the MedCom issue detail code; the acknowledgements the hub builds pass its own validator.</summary>
public sealed class AcknowledgementOfInvalidMessageTests
{
    private static readonly DateTimeOffset CreatedAt = new(2024, 5, 1, 10, 15, 30, TimeSpan.FromHours(2));

    [Fact]
    public void GivenMessageWithBadEanCheckDigit_WhenAcknowledgedFromTheReport_ThenOutcomeNamesRulePathAndCode()
    {
        var example = Example.Load(Example.HospitalNotification);
        var sender = example.Sender;
        var index = Example.IdentifierIndex(sender, "https://www.gs1.org/gln");
        sender["identifier"]![index]!["value"] = "5790000209355";
        var expectedPath = $"{example.PathOf(sender)}.identifier[{index}].value";
        var report = Validators.BuiltIn.Validate(example.Bundle.ToJsonString());

        var ack = Acknowledge(example, AcknowledgementCode.FatalError, report.ToMedComIssues());

        var issue = Assert.Single(Resources(ack, "OperationOutcome").Single()["issue"]!.AsArray())!;
        Assert.Equal("MSG_ID_INVALID", (string?)issue["details"]!["coding"]![0]!["code"]);
        Assert.Equal("http://terminology.hl7.org/CodeSystem/operation-outcome", (string?)issue["details"]!["coding"]![0]!["system"]);
        Assert.Equal("hub-ean-check-digit", (string?)issue["diagnostics"]);
        Assert.Equal(expectedPath, (string?)issue["expression"]![0]);
        Assert.Equal(report.Errors.Single().Text, (string?)issue["details"]!["text"]);
        var narrative = (string)Resources(ack, "OperationOutcome").Single()["text"]!["div"]!;
        Assert.Contains("hub-ean-check-digit", narrative, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenPackageInvariantBroken_WhenAcknowledged_ThenOutcomeNamesTheMedComConstraintKey()
    {
        var example = Example.Load(Example.CareCommunication);
        var communication = example.Single("Communication");
        communication["category"]![0]!["coding"]![0]!["code"] = "other";
        communication.Remove("topic");
        var report = Validators.WithPackages.Validate(example.Bundle.ToJsonString());

        var ack = Acknowledge(example, AcknowledgementCode.FatalError, report.ToMedComIssues());

        var issue = Assert.Single(Resources(ack, "OperationOutcome").Single()["issue"]!.AsArray())!;
        Assert.Equal("medcom-careCommunication-6", (string?)issue["diagnostics"]);
        Assert.Equal(example.PathOf(communication), (string?)issue["expression"]![0]);
        Assert.Equal("MSG_BAD_FORMAT", (string?)issue["details"]!["coding"]![0]!["code"]);
    }

    [Fact]
    public void GivenWarningsOnly_WhenTurnedIntoAcknowledgementIssues_ThenNoneRemain()
    {
        var report = new ValidationReport([new ValidationIssue(ValidationSeverity.Warning, "hub-ack-issue-code", "Bundle", "MSG_VALUESET_VALUE_UNKNOWN", "w")]);

        Assert.True(report.IsValid);
        Assert.Empty(report.ToMedComIssues());
    }

    [Theory]
    [InlineData(AcknowledgementCode.Ok, false)]
    [InlineData(AcknowledgementCode.Ok, true)]
    [InlineData(AcknowledgementCode.FatalError, false)]
    [InlineData(AcknowledgementCode.FatalError, true)]
    [InlineData(AcknowledgementCode.TransientError, true)]
    public void GivenAcknowledgementBuiltByTheHub_WhenValidated_ThenItIsValid(AcknowledgementCode code, bool withPackages)
    {
        var example = Example.Load(Example.HospitalNotification);
        IReadOnlyList<MedComIssue> issues = code == AcknowledgementCode.Ok
            ? []
            : [new MedComIssue(MedComIssueCodes.CodeSystemValueUnknown, "Unknown activity.", "Bundle.entry[5].resource.activity", "hub-activity-code")];

        var ack = Acknowledge(example, code, issues);

        var report = Validators.Get(withPackages).Validate(ack.ToJsonString());
        Assert.True(report.IsValid, Validators.Describe(report));
        Assert.Empty(report.Issues);
    }

    private static JsonObject Acknowledge(Example example, AcknowledgementCode code, IReadOnlyList<MedComIssue> issues)
    {
        var original = FhirServices.Parser.Parse(Encoding.UTF8.GetBytes(example.Bundle.ToJsonString()), FhirFormat.Json).Message!.Envelope;
        var built = FhirServices.AcknowledgementFactory.Create(new AcknowledgementRequest
        {
            RespondsToMessageHeaderId = original.MessageHeaderId,
            From = original.Receivers[0],
            FromEndpoint = original.DestinationEndpoint!,
            To = original.Sender,
            ToEndpoint = original.SourceEndpoint!,
            Code = code,
            Issues = issues,
            CreatedAt = CreatedAt,
        });
        return JsonNode.Parse(built.FhirJson)!.AsObject();
    }
}

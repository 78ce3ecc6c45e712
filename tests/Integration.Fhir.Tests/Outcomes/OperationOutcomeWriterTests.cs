using System.Text.Json.Nodes;

namespace Integration.Fhir.Tests.Outcomes;

public sealed class OperationOutcomeWriterTests
{
    private static readonly IOperationOutcomeWriter Writer = FhirServices.OperationOutcomeWriter;

    [Fact]
    public void GivenIssue_WhenWritten_ThenOperationOutcomeJsonHasIt()
    {
        var json = JsonNode.Parse(Writer.Write("error", "structure", "Bundle.type must be message", "Bundle.type"))!;

        Assert.Equal("OperationOutcome", (string?)json["resourceType"]);
        var issue = Assert.Single(json["issue"]!.AsArray())!;
        Assert.Equal("error", (string?)issue["severity"]);
        Assert.Equal("structure", (string?)issue["code"]);
        Assert.Equal("Bundle.type must be message", (string?)issue["diagnostics"]);
        Assert.Equal("Bundle.type", (string?)issue["expression"]![0]);
    }

    [Fact]
    public void GivenNoLocation_WhenWritten_ThenNoExpression()
    {
        var issue = JsonNode.Parse(Writer.Write("information", "informational", "Accepted"))!["issue"]![0]!;

        Assert.Null(issue["expression"]);
    }

    [Theory]
    [InlineData("severe", "structure")]
    [InlineData("error", "not-a-code")]
    public void GivenUnknownSeverityOrCode_WhenWritten_ThenArgumentException(string severity, string code)
    {
        Assert.Throws<ArgumentException>(() => Writer.Write(severity, code, "x"));
    }
}

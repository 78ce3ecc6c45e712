using System.Net;
using System.Text.Json.Nodes;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;

namespace Integration.EndToEnd.Tests;

/// <summary>MedCom validation on the real hub: a broken rule is answered with a fatal-error ACK that names the rule, the
/// element path and the MedCom issue code, and nothing is applied; a warning does not reject.</summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class ValidationFlowTests(HubFixture hub)
{
    [Fact]
    public async Task GivenAReceiverEanWithABadCheckDigit_WhenPosted_ThenFatalErrorAckNamesRulePathAndCodeAndNothingIsApplied()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        message = ExampleVariants.Replace(message, "5790001348120", "5790001348121"); // Plejecenter Herlev's EAN, last digit off

        using var response = await hub.PostAsync(message.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        Assert.Equal("failed", (string?)trace["state"]);
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "invalid");
        Assert.Equal("fatal-error", (string?)trace["acknowledgement"]!["code"]);
        var ack = Assert.Single(hub.Hospital.AcknowledgementsFor(message.MessageHeaderId));
        var issues = OperationOutcomeIssues(ack);
        var issue = Assert.Single(issues, i => (string?)i!["diagnostics"] == "hub-ean-check-digit");
        Assert.Equal("MSG_ID_INVALID", (string?)issue!["details"]!["coding"]![0]!["code"]);
        Assert.StartsWith("Bundle.entry[", (string?)issue!["expression"]![0], StringComparison.Ordinal);
        Assert.Contains("identifier", (string?)issue!["expression"]![0], StringComparison.Ordinal);
        await using var db = await hub.Db.CreateDbContextAsync();
        Assert.Equal(0, await db.StayEvents.CountAsync(e => e.MessageHeaderId == message.MessageHeaderId));
    }

    [Fact]
    public async Task GivenOnlyAWarningLevelRule_WhenPosted_ThenProcessedOkAndTheWarningIsOnTheTrace()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        var bundle = JsonNode.Parse(message.Json)!;
        var patient = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => (string?)r["resourceType"] == "Patient");
        // medcom-core-patient's marital-status-unknown-usage is a warning: the message must still be processed.
        patient["maritalStatus"] = new JsonObject
        {
            ["coding"] = new JsonArray(
                new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", ["code"] = "P" },
                new JsonObject { ["system"] = "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", ["code"] = "A" }),
        };

        using var response = await hub.PostAsync(bundle.ToJsonString());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        Assert.Equal("processed", (string?)trace["state"]);
        Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "validated"
            && ((string?)s["detail"])!.Contains("marital-status-unknown-usage", StringComparison.Ordinal));
    }

    private static JsonArray OperationOutcomeIssues(JsonNode acknowledgement) =>
        acknowledgement["entry"]!.AsArray()
            .Select(e => e!["resource"]!)
            .Single(r => (string?)r["resourceType"] == "OperationOutcome")["issue"]!.AsArray();
}

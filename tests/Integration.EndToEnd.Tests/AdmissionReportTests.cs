using System.Net;
using Integration.Testing;

namespace Integration.EndToEnd.Tests;

/// <summary>A STIN that asks for a report of admission, about a citizen known to municipal care, is answered with an
/// admission report (the help the citizen receives), sent through the ACK ledger; an unknown citizen gets none.</summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class AdmissionReportTests(HubFixture hub)
{
    [Fact]
    public async Task GivenAnAdmissionAskingForAReport_WhenTheCitizenIsKnownToHomeCare_ThenAnAdmissionReportIsSentAndTracked()
    {
        var known = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"), ExampleVariants.ExampleCpr); // asks for a report

        using var response = await hub.PostAsync(known.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForTraceAsync(known.MessageHeaderId, t => t["caused"]?.AsArray().Count > 0
            && (string?)t["caused"]![0]!["state"] == "awaiting-ack");
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "admission-report"
            && ((string?)s["detail"])!.Contains("3 service(s)", StringComparison.Ordinal));
        var report = trace["caused"]![0]!;
        Assert.Equal("admission-report-message", (string?)report["type"]);
        Assert.Null(trace["sending"]); // the notification itself is not sent on
    }

    [Fact]
    public async Task GivenAnAdmissionAskingForAReport_WhenTheCitizenIsUnknown_ThenNoReport()
    {
        var unknown = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));

        using var response = await hub.PostAsync(unknown.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForDeliveredAckAsync(unknown.MessageHeaderId);
        Assert.Equal("processed", (string?)trace["state"]);
        Assert.DoesNotContain(trace["history"]!.AsArray(), s => (string?)s!["step"] == "admission-report");
        Assert.Empty(trace["caused"]!.AsArray());
    }
}

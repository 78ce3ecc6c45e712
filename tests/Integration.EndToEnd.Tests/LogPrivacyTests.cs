using System.Net;
using Integration.Testing;

namespace Integration.EndToEnd.Tests;

/// <summary>CPR numbers never appear in the hub's logs (DESIGN.md, privacy).</summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class LogPrivacyTests(HubFixture hub)
{
    [Fact]
    public async Task GivenEveryMedComExample_WhenTheHubProcessesThem_ThenNoLogLineHoldsACprNumber()
    {
        var cprs = new List<string> { ExampleVariants.ExampleCpr };
        var messages = new List<ExampleVariants.Variant>();
        foreach (var file in Directory.GetFiles(MedComExamples.HospitalNotifications, "Bundle-*.json"))
        {
            // Once with MedCom's own citizen (known to home care: alerts are logged too), once with a synthetic one.
            messages.Add(ExampleVariants.Fresh(File.ReadAllText(file), ExampleVariants.ExampleCpr));
            var synthetic = ExampleVariants.Fresh(File.ReadAllText(file));
            cprs.Add(synthetic.Cpr);
            messages.Add(synthetic);
        }

        // And a body that fails parsing because of a bad value next to a CPR: error texts must not carry it either.
        var broken = messages[0].Json.Replace("\"type\":\"message\"", "\"type\":\"not-a-bundle-type\"", StringComparison.Ordinal);
        using (var response = await hub.PostAsync(broken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        foreach (var message in messages)
        {
            using var response = await hub.PostAsync(message.Json);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        foreach (var message in messages)
        {
            await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        }

        Assert.NotEmpty(hub.Logs.Lines);
        Assert.Contains(hub.Logs.Lines, l => l.Contains("Applied", StringComparison.Ordinal));
        foreach (var cpr in cprs)
        {
            var dashed = cpr[..6] + "-" + cpr[6..];
            // Count, never print: the assertion message must not leak the number either.
            var leaks = hub.Logs.Lines.Count(l => l.Contains(cpr, StringComparison.Ordinal) || l.Contains(dashed, StringComparison.Ordinal));
            Assert.True(leaks == 0, $"{leaks} log lines hold a CPR number");
        }
    }
}

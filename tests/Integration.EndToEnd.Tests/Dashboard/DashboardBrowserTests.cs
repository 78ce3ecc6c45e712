using Integration.Testing;
using OpenQA.Selenium;

namespace Integration.EndToEnd.Tests.Dashboard;

/// <summary>
/// Issue 5 as a person uses it: the dashboard in Debian's headless Chromium against the real hub (RabbitMQ, PostgreSQL).
/// Each step is saved as a screenshot under artifacts/screenshots/.
/// </summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardBrowserTests(HubFixture hub)
{
    [Fact]
    public async Task GivenASignedInOperator_WhenAMedComMessageIsPosted_ThenItAppearsInTheListAndItsTraceShowsThePathAndMaskedBody()
    {
        using var browser = new ChromiumSession(hub.Http.BaseAddress!, "posted-message");
        browser.SignIn("operator", "operator-demo");
        browser.WaitFor(ChromiumSession.TestId("totals"));
        browser.Screenshot("overview");
        browser.Open("/#/messages");
        browser.WaitFor(ChromiumSession.TestId("messages"));

        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        using (var response = await hub.PostAsync(message.Json))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }

        await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        // The list refreshes by itself: the new message appears without reloading the page.
        // Listed first while still being received, then read (event code) and processed.
        var row = browser.TextOf(ChromiumSession.TestId("messages-row"),
            text => text.Contains(message.MessageHeaderId, StringComparison.Ordinal) && text.Contains("processed", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("STIN", row, StringComparison.Ordinal);
        browser.Screenshot("message-listed");

        browser.Click(ChromiumSession.TestId("messages-row"), text => text.Contains(message.MessageHeaderId, StringComparison.Ordinal));
        var timeline = browser.WaitFor(ChromiumSession.TestId("timeline"), text => text.Contains("ack-delivered", StringComparison.Ordinal));
        Assert.Contains("received", timeline.Text, StringComparison.Ordinal);
        Assert.Contains("routed", timeline.Text, StringComparison.Ordinal);
        Assert.Contains("processed", timeline.Text, StringComparison.Ordinal);
        var raw = browser.WaitFor(ChromiumSession.TestId("raw-body"), text => text.Contains(message.MessageHeaderId, StringComparison.Ordinal));
        Assert.DoesNotContain(message.Cpr, raw.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(message.Cpr, browser.WebDriver.PageSource, StringComparison.Ordinal);
        Assert.Contains($"{message.Cpr[..6]}-****", browser.WaitFor(ChromiumSession.TestId("citizen")).Text, StringComparison.Ordinal);
        browser.Screenshot("trace");
    }
}

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

    /// <summary>The operator signed in; from then on every request of the page takes <paramref name="latency"/>; then
    /// <paramref name="page"/> opened.</summary>
    private ChromiumSession OperatorOnASlowNetwork(string test, TimeSpan latency, string page)
    {
        var browser = new ChromiumSession(hub.Http.BaseAddress!, test);
        try
        {
            browser.SignIn("operator", "operator-demo");
            browser.DelayRequests(latency);
            browser.Open(page);
            return browser;
        }
        catch
        {
            browser.Dispose();
            throw;
        }
    }

    [Fact]
    public void GivenTheOverviewStillLoading_WhenTheOperatorGoesToTheAudit_ThenTheOverviewNeitherReplacesItNorRefreshesOverIt()
    {
        // Every request takes a second: the overview's data is still on its way when the operator moves on.
        using var browser = OperatorOnASlowNetwork("left-while-loading", TimeSpan.FromSeconds(1), "/#/overview/day");
        browser.Open("/#/audit");
        browser.WaitFor(By.TagName("h1"), text => text == "Audit");
        // The overview's first request, sent before the operator moved on, arrives within these 2 seconds.
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var overviewRequests = browser.Requests("/api/dashboard/overview").Count;

        // The overview refreshes every 2 seconds once shown, and each refresh takes a second here: in 6 seconds it
        // would have asked again and replaced the audit at least once, unseen or not.
        Thread.Sleep(TimeSpan.FromSeconds(6));
        Assert.Equal("Audit", browser.WebDriver.FindElement(By.TagName("h1")).Text);
        Assert.Equal(overviewRequests, browser.Requests("/api/dashboard/overview").Count);
        browser.Screenshot("audit-stays");
    }

    [Fact]
    public void GivenASlowServer_WhenTheOverviewRefreshes_ThenARefreshWaitsForTheOneBefore()
    {
        // Every request takes 3 seconds, longer than the overview's 2-second refresh.
        using var browser = OperatorOnASlowNetwork("slow-refresh", TimeSpan.FromSeconds(3), "/#/overview/week");
        browser.WaitFor(By.TagName("h1"), text => text == "Overview");
        Thread.Sleep(TimeSpan.FromSeconds(12));

        var loads = browser.Requests("/api/dashboard/overview?range=week").OrderBy(r => r.Start).ToList();
        Assert.True(loads.Count >= 2, $"the overview was loaded {loads.Count} time(s) in 15 seconds; it refreshes every 2");
        for (var i = 1; i < loads.Count; i++)
        {
            Assert.True(loads[i].Start >= loads[i - 1].End,
                $"refresh {i} started at {loads[i].Start:F0} ms, before the one before it had its answer ({loads[i - 1].End:F0} ms)");
        }

        browser.Screenshot("refreshed");
    }

    [Fact]
    public async Task GivenAMessageParkedForAnUnknownReceiver_WhenTheOperatorRegistersItAndRetriesTheGroupInThePage_ThenItIsProcessedAndAudited()
    {
        var (ean, sor) = RepairFlowTests.NewReceiverIdentifiers();
        var message = await RepairFlowTests.PostParkedAsync(hub, ean, sor);
        using var browser = new ChromiumSession(hub.Http.BaseAddress!, "retry-parked");
        browser.SignIn("operator", "operator-demo");

        browser.Open("/#/repair");
        browser.Click(ChromiumSession.TestId("groups-row"), text => text.Contains("MSG_Receiver_Identifier_UNKNOWN", StringComparison.Ordinal));
        browser.WaitFor(ChromiumSession.TestId("group-messages-row"), text => text.Contains(message.MessageHeaderId, StringComparison.Ordinal));
        browser.WebDriver.FindElement(By.Id("group-dry-run")).Click();
        var dryRun = browser.TextOf(ChromiumSession.TestId("group-result"), text => text.Contains(message.MessageHeaderId, StringComparison.Ordinal));
        Assert.Contains("Dry run: nothing was changed", dryRun, StringComparison.Ordinal);
        browser.Screenshot("dry-run-before-fix");

        // The fix: the receiver is registered, and the operator has the hub read its registry again.
        await RepairFlowTests.AddMunicipalUnitAsync(hub, ean, sor, "163");
        browser.WebDriver.FindElement(By.Id("reload-reason")).SendKeys("new Herlev unit registered");
        browser.WebDriver.FindElement(By.Id("reload-partners")).Click();
        browser.WaitFor(ChromiumSession.TestId("reload-result"), text => text.Contains("Registry reloaded", StringComparison.Ordinal));
        browser.WebDriver.FindElement(By.Id("group-reason")).SendKeys("receiver registered");
        browser.WebDriver.FindElement(By.Id("group-retry")).Click();
        var retried = browser.TextOf(ChromiumSession.TestId("group-result"), text => text.Contains("Retried", StringComparison.Ordinal));
        Assert.Contains(message.MessageHeaderId, retried, StringComparison.Ordinal);
        browser.Screenshot("retried");

        await hub.WaitForTraceAsync(message.MessageHeaderId, t => (string?)t["state"] == "processed" && (bool?)t["acknowledgement"]?["delivered"] == true);
        browser.Open($"/#/messages/{message.MessageHeaderId}");
        var timeline = browser.TextOf(ChromiumSession.TestId("timeline"), text => text.Contains("retry", StringComparison.Ordinal));
        Assert.Contains("processed", timeline, StringComparison.Ordinal);
        Assert.Contains("processed", browser.WebDriver.FindElement(By.TagName("h1")).Text, StringComparison.Ordinal);
        browser.Screenshot("processed-after-retry");

        browser.Open("/#/audit");
        var audit = browser.TextOf(ChromiumSession.TestId("audit-row"), text => text.Contains("receiver registered", StringComparison.Ordinal));
        Assert.Contains("operator", audit, StringComparison.Ordinal);
        Assert.Contains("retry", audit, StringComparison.Ordinal);
        browser.Screenshot("audit");
    }
}

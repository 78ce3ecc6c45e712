using OpenQA.Selenium;

namespace Integration.EndToEnd.Tests.Dashboard;

/// <summary>Issue 4's worklist page as a municipal user sees it, in Debian's headless Chromium against the real hub.</summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class WorklistBrowserTests(HubFixture hub)
{
    [Fact]
    public async Task GivenHerlevsUser_WhenAHospitalSendsATrainingPlan_ThenTheWorklistPageListsItWithItsDeadlineAndMaskedCitizen()
    {
        var plan = EpisodeFlowTests.Variant("training-plan-new.json", Guid.NewGuid().ToString(), ExampleVariants.NewCpr());
        using (var response = await hub.PostAsync(plan.Json))
        {
            Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        }

        await hub.WaitForDeliveredAckAsync(plan.MessageHeaderId);
        using var browser = new ChromiumSession(hub.Http.BaseAddress!, "worklist");
        browser.SignIn("herlev", "herlev-demo");

        // A municipal user lands on its own worklist.
        var row = browser.WaitFor(ChromiumSession.TestId("waiting-row"), text => text.Contains($"{plan.Cpr[..6]}-****", StringComparison.Ordinal));
        Assert.Contains("2025-03-17", row.Text, StringComparison.Ordinal); // discharge 2025-03-10 + 7 days
        Assert.DoesNotContain(plan.Cpr, browser.WebDriver.PageSource, StringComparison.Ordinal);
        Assert.Contains("163", browser.WebDriver.FindElement(By.Id("who")).Text, StringComparison.Ordinal);
        Assert.True(browser.WebDriver.FindElement(By.CssSelector("#nav a[data-view='audit']")).GetAttribute("hidden") is not null);
        browser.Screenshot("herlev-worklist");

        // Another municipality's worklist is refused, and the page says so.
        browser.Open("/#/worklist/851");
        var error = browser.WaitFor(ChromiumSession.TestId("error"));
        Assert.StartsWith("403", error.Text, StringComparison.Ordinal);
        browser.Screenshot("other-municipality-refused");
    }
}

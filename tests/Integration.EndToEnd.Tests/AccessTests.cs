using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integration.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Integration.EndToEnd.Tests;

/// <summary>Issue 5, people and rights, on the real hub with the embedded users file: sign-in, roles and the
/// municipality scope, and what an anonymous caller or another site gets.</summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class AccessTests(HubFixture hub)
{
    [Fact]
    public async Task GivenNoSignIn_WhenTheApiOrTheDashboardIsAsked_ThenTheApiAnswers401AndTheDashboardSendsToSignIn()
    {
        using var browser = Browser();

        using var api = await browser.GetAsync(new Uri("/api/messages/anything", UriKind.Relative));
        using var page = await browser.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAWrongPassword_WhenSigningIn_ThenTheFormSaysSoNoSessionIsGivenAndTheAttemptIsAudited()
    {
        using var browser = Browser();
        var name = "operator";
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var answer = await SignInAsync(browser, name, "not-the-password");
        using var me = await browser.GetAsync(new Uri("/api/me", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Contains("failed=1", answer.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        await using var db = await hub.Db.CreateDbContextAsync();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.Action == "sign-in-failed" && a.Actor == name && a.At >= before));
    }

    [Fact]
    public async Task GivenTheOperator_WhenSignedIn_ThenTheDashboardIsServedWithItsSecurityHeadersAndTheSessionKnowsTheRole()
    {
        using var browser = Browser();

        using var signedIn = await SignInAsync(browser, "operator", "operator-demo", returnUrl: "/#/messages");
        using var page = await browser.GetAsync(new Uri("/", UriKind.Relative));
        var me = await browser.GetFromJsonAsync<JsonNode>(new Uri("/api/me", UriKind.Relative));

        Assert.Equal("/#/messages", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Rehabilitation messaging hub", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("operator", (string?)me!["role"]);
        var cookie = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("hub.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GivenAReturnUrlToAnotherSite_WhenSigningIn_ThenTheUserStaysOnTheHub()
    {
        using var browser = Browser();

        using var signedIn = await SignInAsync(browser, "operator", "operator-demo", returnUrl: "//evil.example/steal");

        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task GivenHerlevsMunicipalUser_WhenAskingForItsOwnAndAnotherMunicipalitysWorklist_ThenOnlyItsOwnIsShown()
    {
        using var browser = Browser();
        using var _ = await SignInAsync(browser, "herlev", "herlev-demo");

        using var own = await browser.GetAsync(new Uri("/api/municipalities/163/worklist", UriKind.Relative));
        using var other = await browser.GetAsync(new Uri("/api/municipalities/851/worklist", UriKind.Relative));
        using var ledger = await browser.GetAsync(new Uri("/api/sent-messages", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ledger.StatusCode); // the hub's own ledger is not one municipality's business
    }

    [Fact]
    public async Task GivenTheAuditor_WhenTryingAnEpisodeAction_ThenItIsForbidden()
    {
        using var browser = Browser();
        using var _ = await SignInAsync(browser, "auditor", "auditor-demo");

        using var action = await PostWithGuardHeaderAsync(browser, $"/api/municipalities/163/episodes/{Guid.NewGuid()}/start");

        Assert.Equal(HttpStatusCode.Forbidden, action.StatusCode);
    }

    [Fact]
    public async Task GivenASignedInUser_WhenAChangeComesWithoutTheDashboardsHeader_ThenItIsRefusedAsCrossSite()
    {
        using var browser = Browser();
        using var _ = await SignInAsync(browser, "herlev", "herlev-demo");

        using var withoutHeader = await browser.PostAsJsonAsync(new Uri($"/api/municipalities/163/episodes/{Guid.NewGuid()}/start", UriKind.Relative), new { });
        using var withHeader = await PostWithGuardHeaderAsync(browser, $"/api/municipalities/163/episodes/{Guid.NewGuid()}/start");

        Assert.Equal(HttpStatusCode.BadRequest, withoutHeader.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, withHeader.StatusCode); // past the guard: the episode does not exist
    }

    /// <summary>A client that keeps cookies and does not follow redirects, like a browser whose steps a test inspects.</summary>
    private HttpClient Browser() =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = hub.Http.BaseAddress };

    private static Task<HttpResponseMessage> SignInAsync(HttpClient browser, string name, string password, string returnUrl = "/") =>
        browser.PostAsync(new Uri("/signin", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["name"] = name,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        }));

    private static async Task<HttpResponseMessage> PostWithGuardHeaderAsync(HttpClient browser, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = JsonContent.Create(new { }) };
        request.Headers.Add("X-Hub-Request", "1");
        return await browser.SendAsync(request);
    }
}

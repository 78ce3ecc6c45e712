using System.Security.Claims;
using System.Text.Encodings.Web;
using Integration.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// Test-only sign-in: every request is signed in, as the user, role and municipality its X-Test-* headers name, or as
/// the operator "test-operator" when it names none. Stands in for the hub's real sign-in in these tests.
/// </summary>
public sealed class TestSignIn(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "test";
    public const string UserHeader = "X-Test-User";
    public const string RoleHeader = "X-Test-Role";
    public const string MunicipalityHeader = "X-Test-Municipality";
    public const string Operator = "test-operator";

    public static void AddTo(IServiceCollection services) =>
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, TestSignIn>(SchemeName, null);

    /// <summary>A client of the hub at <paramref name="address"/> that acts as the given principal.</summary>
    public static HttpClient ClientAs(Uri address, string user, string role, string? municipality = null)
    {
        var http = new HttpClient { BaseAddress = address };
        http.DefaultRequestHeaders.Add(UserHeader, user);
        http.DefaultRequestHeaders.Add(RoleHeader, role);
        if (municipality is not null)
        {
            http.DefaultRequestHeaders.Add(MunicipalityHeader, municipality);
        }

        return http;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var user = Request.Headers[UserHeader].FirstOrDefault() ?? Operator;
        var role = Request.Headers[RoleHeader].FirstOrDefault() ?? HubRoles.Operator;
        var claims = new List<Claim> { new(ClaimTypes.Name, user), new(ClaimTypes.Role, role) };
        if (Request.Headers[MunicipalityHeader].FirstOrDefault() is { } municipality)
        {
            claims.Add(new Claim(HubClaims.Municipality, municipality));
        }

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}

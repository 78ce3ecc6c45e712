using System.Security.Claims;
using System.Text.Encodings.Web;
using Integration.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// Test-only sign-in: header <c>X-Test-Principal</c> says who calls — <c>operator</c>, <c>auditor</c> or
/// <c>municipal:{code}</c>; without it the caller is an operator, as the tests written before sign-in expect.
/// </summary>
public static class TestSignIn
{
    public const string Header = "X-Test-Principal";
    private const string Scheme = "test-sign-in";

    /// <summary>Makes this the hub's default scheme whatever the hub registers itself (PostConfigure runs last).</summary>
    public static IServiceCollection AddTestSignIn(this IServiceCollection services)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, Handler>(Scheme, null);
        services.PostConfigure<AuthenticationOptions>(o =>
        {
            o.DefaultScheme = Scheme;
            o.DefaultAuthenticateScheme = Scheme;
            o.DefaultChallengeScheme = Scheme;
            o.DefaultForbidScheme = Scheme;
        });
        return services;
    }

    /// <summary>A request as a municipal user of <paramref name="municipalityCode"/>.</summary>
    public static HttpRequestMessage AsMunicipal(this HttpRequestMessage request, string municipalityCode) => As(request, $"{HubRoles.Municipal}:{municipalityCode}");

    public static HttpRequestMessage As(this HttpRequestMessage request, string principal)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Headers.Add(Header, principal);
        return request;
    }

    private sealed class Handler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var who = Request.Headers[Header].ToString();
            var parts = (who.Length == 0 ? HubRoles.Operator : who).Split(':', 2);
            var claims = new List<Claim> { new(ClaimTypes.Name, $"test-{parts[0]}"), new(ClaimTypes.Role, parts[0]) };
            if (parts.Length == 2)
            {
                claims.Add(new Claim(HubClaims.Municipality, parts[1]));
            }

            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name)), Scheme.Name)));
        }
    }
}

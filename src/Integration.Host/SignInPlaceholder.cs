using System.Security.Claims;
using System.Text.Encodings.Web;
using Integration.Access;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Integration.Host;

/// <summary>
/// Stands in for sign-in (issue 5, requirement 4) until it exists: every caller is an operator, which is what the read
/// APIs allowed before they asked for a policy. The hub's real access set-up replaces this whole file.
/// </summary>
internal static class SignInPlaceholder
{
    private const string Scheme = "sign-in-placeholder";

    public static IServiceCollection AddSignInPlaceholder(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme).AddScheme<AuthenticationSchemeOptions, EveryoneIsOperator>(Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(HubPolicies.ReadFlow, p => p.RequireRole(HubRoles.Operator, HubRoles.Auditor, HubRoles.Municipal))
            .AddPolicy(HubPolicies.Operate, p => p.RequireRole(HubRoles.Operator))
            .AddPolicy(HubPolicies.ReadAudit, p => p.RequireRole(HubRoles.Operator, HubRoles.Auditor))
            .AddPolicy(HubPolicies.MunicipalWork, p => p.RequireRole(HubRoles.Operator, HubRoles.Municipal));
        return services;
    }

    private sealed class EveryoneIsOperator(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
            Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(
                new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "operator"), new Claim(ClaimTypes.Role, HubRoles.Operator)], Scheme.Name)),
                Scheme.Name)));
    }
}

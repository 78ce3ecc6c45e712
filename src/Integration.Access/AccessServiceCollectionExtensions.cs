using System.Threading.RateLimiting;
using Integration.Access.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Access;

public static class AccessServiceCollectionExtensions
{
    public const string CookieScheme = "hub-session";
    /// <summary>Chooses per request: the API key scheme when the header is there, otherwise the sign-in cookie.</summary>
    public const string HubScheme = "hub";
    public const string SignInRateLimit = "sign-in";

    /// <summary>Sign-in for people (cookie), API keys for systems, and the hub's policies.</summary>
    public static IServiceCollection AddHubAccess(this IServiceCollection services, IReadOnlyList<HubUser> users)
    {
        services.AddSingleton(new UserDirectory(users));
        services.AddSingleton<AuditLog>();
        services.AddAuthentication(HubScheme)
            .AddPolicyScheme(HubScheme, "Cookie or API key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header) ? ApiKeyAuthenticationHandler.SchemeName : CookieScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "hub.session";
                o.Cookie.HttpOnly = true;
                // Strict: no other site can make the browser send it, which is what protects the repair actions from
                // cross-site requests (together with JSON bodies, which a plain form cannot send).
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/signin";
                // APIs answer 401/403; only pages redirect to the sign-in page.
                o.Events.OnRedirectToLogin = context => Answer(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Answer(context, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(HubPolicies.ReadFlow, p => p.RequireRole(HubRoles.Operator, HubRoles.Auditor, HubRoles.Municipal))
            .AddPolicy(HubPolicies.Operate, p => p.RequireRole(HubRoles.Operator))
            .AddPolicy(HubPolicies.ReadAudit, p => p.RequireRole(HubRoles.Operator, HubRoles.Auditor))
            .AddPolicy(HubPolicies.ReadAll, p => p.RequireRole(HubRoles.Operator, HubRoles.Auditor))
            .AddPolicy(HubPolicies.MunicipalWork, p => p.RequireRole(HubRoles.Operator, HubRoles.Municipal));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Slows down password guessing: a handful of attempts per minute from one address.
            o.AddPolicy(SignInRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) }));
        });
        return services;
    }

    private static Task Answer(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (IsPage(context.Request))
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = status;
        }

        return Task.CompletedTask;
    }

    private static bool IsPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api", StringComparison.Ordinal) && !request.Path.StartsWithSegments("/fhir", StringComparison.Ordinal);
}

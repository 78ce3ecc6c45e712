using System.Security.Claims;
using Integration.Access.Users;
using Integration.Persistence;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Access;

/// <summary>
/// POST /signin (the sign-in form), POST /signout and GET /api/me. Sign-ins and failed attempts are audited; the form
/// itself is a page of the dashboard.
/// </summary>
public static class SignInEndpoints
{
    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/signin", SignInAsync).RequireRateLimiting(AccessServiceCollectionExtensions.SignInRateLimit).DisableAntiforgery();
        endpoints.MapPost("/signout", async (HttpContext context) =>
        {
            await context.SignOutAsync(AccessServiceCollectionExtensions.CookieScheme);
            return Results.Redirect("/signin");
        });
        endpoints.MapGet("/api/me", (ClaimsPrincipal user) => Results.Ok(new
        {
            name = user.ActorName(),
            displayName = user.FindFirstValue(HubPrincipals.DisplayName),
            role = user.ActingRole(),
            municipality = user.FindFirstValue(HubClaims.Municipality),
        })).RequireAuthorization(HubPolicies.ReadFlow);
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(HttpContext context, UserDirectory users, HubDbContext db, AuditLog audit)
    {
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var name = form["name"].ToString().Trim();
        var returnUrl = LocalOrRoot(form["returnUrl"].ToString());
        var user = users.SignIn(name, form["password"].ToString());
        var principal = user is null ? null : HubPrincipals.For(user, AccessServiceCollectionExtensions.CookieScheme);
        var actor = principal is null ? new Actor(name.Length is > 0 and <= 128 ? name : "(none)", "-", null) : Actor.Of(principal);
        audit.Add(db, actor, user is null ? AuditActions.SignInFailed : AuditActions.SignIn,
            target: context.Connection.RemoteIpAddress?.ToString(), reason: null, outcome: null, user?.MunicipalityCode);
        await db.SaveChangesAsync(context.RequestAborted);
        if (principal is null)
        {
            return Results.Redirect($"/signin?failed=1&returnUrl={Uri.EscapeDataString(returnUrl)}");
        }

        await context.SignInAsync(AccessServiceCollectionExtensions.CookieScheme, principal);
        return Results.Redirect(returnUrl);
    }

    /// <summary>Only a path on this site: an open redirect would let a link send a signed-in user anywhere.</summary>
    private static string LocalOrRoot(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}

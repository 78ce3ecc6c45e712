using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Integration.Access;

/// <summary>
/// A change made with the sign-in cookie must carry header <c>X-Hub-Request</c>: a page on another site cannot add a
/// custom header without the hub's consent (CORS), so this stops cross-site requests even in a browser that ignores
/// SameSite. Calls with an API key are not made by browsers and need no header.
/// </summary>
public static class CrossSiteRequestGuard
{
    public const string Header = "X-Hub-Request";

    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)
            && request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
            && !request.Headers.ContainsKey(ApiKeyAuthenticationHandler.Header)
            && !request.Headers.ContainsKey(Header))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsJsonAsync(new { error = $"A change through the dashboard needs header {Header}." });
            return;
        }

        await next(context);
    });
}

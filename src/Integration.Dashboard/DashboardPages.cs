using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Dashboard;

/// <summary>
/// Serves the dashboard: <c>/</c> (the app, signed-in only), <c>/signin</c> (the form) and <c>/assets/{file}</c>. The
/// pages are plain HTML, CSS and JavaScript without a build step or third-party code, compiled into this assembly so
/// the hub serves them wherever its binary runs; everything they show comes from the hub's JSON APIs.
/// </summary>
public static class DashboardPages
{
    private static readonly Assembly Files = typeof(DashboardPages).Assembly;

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
    };

    public static IEndpointRouteBuilder MapDashboardPages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/", (HttpContext context) => context.User.Identity?.IsAuthenticated == true
            ? Serve(context, "index.html")
            : Results.Redirect("/signin?returnUrl=%2F"));
        endpoints.MapGet("/signin", (HttpContext context) => Serve(context, "signin.html"));
        endpoints.MapGet("/assets/{file}", (HttpContext context, string file) => Serve(context, file));
        return endpoints;
    }

    private static IResult Serve(HttpContext context, string file)
    {
        var stream = Files.GetManifestResourceStream("dashboard/" + file);
        if (stream is null || !ContentTypes.TryGetValue(Path.GetExtension(file), out var contentType))
        {
            stream?.Dispose();
            return Results.NotFound();
        }

        var headers = context.Response.Headers;
        // Only the hub's own scripts and styles, no framing: a page that shows citizens' data must not be embedded elsewhere.
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return Results.Stream(stream, contentType);
    }
}

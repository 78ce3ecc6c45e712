using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Integration.Access;

/// <summary>
/// For endpoints with a municipality code in the route (<c>{code}</c>): a municipal principal may only use its own
/// code. Applied to a whole route group, so no municipal endpoint can forget it.
/// </summary>
public static class MunicipalityRouteScope
{
    public static TBuilder RequireOwnMunicipality<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var code = context.HttpContext.Request.RouteValues["code"] as string;
            return code is not null && !context.HttpContext.User.MaySee(code)
                ? Results.Json(new { error = $"Signed in for municipality {context.HttpContext.User.MunicipalityScope()}, not {code}." }, statusCode: StatusCodes.Status403Forbidden)
                : await next(context);
        });
}

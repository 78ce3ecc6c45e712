using Integration.Municipal.Episodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Api.Episodes;

/// <summary>
/// The municipal worklist and key figures. Scoped by the municipality code in the path; restricting a signed-in municipal
/// user to their own code comes with sign-in (issue 5).
/// </summary>
public static class WorklistEndpoints
{
    public static IEndpointRouteBuilder MapMunicipalWorklist(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/municipalities/{code}/worklist", async (string code, MunicipalWorklist worklist, CancellationToken cancellationToken) =>
            IsMunicipalityCode(code) ? Results.Ok(await worklist.ForAsync(code, cancellationToken)) : Results.BadRequest());
        endpoints.MapGet("/api/municipalities/{code}/key-figures", async (string code, MunicipalWorklist worklist, CancellationToken cancellationToken) =>
            IsMunicipalityCode(code) ? Results.Ok(await worklist.KeyFiguresAsync(code, cancellationToken)) : Results.BadRequest());
        return endpoints;
    }

    /// <summary>A kommunekode: three digits.</summary>
    private static bool IsMunicipalityCode(string code) => code.Length == 3 && code.All(char.IsAsciiDigit);
}

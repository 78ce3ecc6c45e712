using Integration.Access;
using Integration.Repair;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Api.Messages;

/// <summary>Body of a CPR reveal: why the person needs the number (required, audited).</summary>
public sealed record RevealCprRequest(string? Reason);

/// <summary>Shows the CPR number of one message (everything else shows it masked); audited as reveal-cpr.</summary>
public static class CprRevealEndpoints
{
    public static IEndpointRouteBuilder MapCprReveal(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/messages/{id}/cpr", async (string id, RevealCprRequest? body, HttpContext http, CprReveal reveal, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(body?.Reason))
            {
                return Results.Problem("Showing a CPR number needs a reason.", statusCode: StatusCodes.Status400BadRequest);
            }

            return await reveal.RevealAsync(Actor.Of(http.User), id, body.Reason.Trim(), ct) is { } revealed ? Results.Ok(revealed) : Results.NotFound();
        }).RequireAuthorization(HubPolicies.ReadFlow);
        return endpoints;
    }
}

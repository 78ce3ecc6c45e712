using Integration.Access;
using Integration.Repair;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Api.Repair;

/// <summary>Body of a retry: why (optional, recorded in the audit).</summary>
public sealed record RetryRequest(string? Reason);

/// <summary>Body of a discard: why (required).</summary>
public sealed record DiscardRequest(string? Reason);

/// <summary>Body of a replay: to whom, why (required unless a dry run), and whether only to preview.</summary>
public sealed record ReplayRequest(string? ReceiverPartnerId, string? Reason, bool DryRun);

/// <summary>Body of a partner reload: why (optional).</summary>
public sealed record ReloadRequest(string? Reason);

/// <summary>The operator's repair API (issue 5, requirement 3). Reads need ReadFlow (scoped); changes need Operate.</summary>
public static class RepairEndpoints
{
    public static IEndpointRouteBuilder MapRepair(this IEndpointRouteBuilder endpoints)
    {
        var repair = endpoints.MapGroup("/api/repair");
        repair.MapGet("/groups", (HttpContext http, FailureGroups groups, CancellationToken ct) =>
            groups.ListAsync(Actor.Of(http.User), ct)).RequireAuthorization(HubPolicies.ReadFlow);
        repair.MapGet("/groups/{key}/messages", async (string key, HttpContext http, FailureGroups groups, CancellationToken ct) =>
            await groups.MessagesAsync(Actor.Of(http.User), key, ct) is { } messages ? Results.Ok(messages) : Results.NotFound())
            .RequireAuthorization(HubPolicies.ReadFlow);
        repair.MapPost("/messages/{id}/retry", RetryMessageAsync).RequireAuthorization(HubPolicies.Operate);
        repair.MapPost("/groups/{key}/retry", RetryGroupAsync).RequireAuthorization(HubPolicies.Operate);
        repair.MapPost("/messages/{id}/discard", DiscardAsync).RequireAuthorization(HubPolicies.Operate);
        repair.MapPost("/messages/{id}/replay", ReplayAsync).RequireAuthorization(HubPolicies.Operate);
        repair.MapPost("/partners/reload", ReloadPartnersAsync).RequireAuthorization(HubPolicies.Operate);
        return endpoints;
    }

    private static async Task<IResult> RetryMessageAsync(
        string id, bool? dryRun, RetryRequest? body, HttpContext http, MessageRetry retry, CancellationToken ct)
    {
        var (outcome, result) = await retry.RetryMessageAsync(Actor.Of(http.User), id, Reason(body?.Reason), dryRun ?? false, ct);
        return outcome switch
        {
            MessageRetry.Outcome.Done => Results.Ok(result),
            MessageRetry.Outcome.NotRetryable => Results.Problem("Only a failed or parked message can be retried.", statusCode: StatusCodes.Status409Conflict),
            _ => Results.NotFound(),
        };
    }

    private static async Task<IResult> RetryGroupAsync(
        string key, bool? dryRun, RetryRequest? body, HttpContext http, MessageRetry retry, CancellationToken ct) =>
        await retry.RetryGroupAsync(Actor.Of(http.User), key, Reason(body?.Reason), dryRun ?? false, ct) is { } result
            ? Results.Ok(result)
            : Results.NotFound();

    private static async Task<IResult> DiscardAsync(string id, DiscardRequest? body, HttpContext http, MessageDiscard discard, CancellationToken ct)
    {
        if (Reason(body?.Reason) is not { } reason)
        {
            return Results.Problem("A discard needs a reason.", statusCode: StatusCodes.Status400BadRequest);
        }

        var (outcome, result) = await discard.DiscardAsync(Actor.Of(http.User), id, reason, ct);
        return outcome switch
        {
            MessageDiscard.Outcome.Done => Results.Ok(result),
            MessageDiscard.Outcome.NotDiscardable => Results.Problem("Only a failed or parked message can be discarded.", statusCode: StatusCodes.Status409Conflict),
            _ => Results.NotFound(),
        };
    }

    private static async Task<IResult> ReplayAsync(string id, ReplayRequest? body, HttpContext http, MessageReplay replay, CancellationToken ct)
    {
        if (body is null || string.IsNullOrWhiteSpace(body.ReceiverPartnerId))
        {
            return Results.Problem("A replay needs a receiverPartnerId.", statusCode: StatusCodes.Status400BadRequest);
        }

        var reason = Reason(body.Reason);
        if (!body.DryRun && reason is null)
        {
            return Results.Problem("A replay sends the citizen's data again: it needs a reason.", statusCode: StatusCodes.Status400BadRequest);
        }

        var (outcome, result, problem) = await replay.ReplayAsync(Actor.Of(http.User), id, body.ReceiverPartnerId, reason, body.DryRun, ct);
        return outcome switch
        {
            MessageReplay.Outcome.Done => Results.Ok(result),
            MessageReplay.Outcome.NotFound => Results.NotFound(),
            MessageReplay.Outcome.NotReplayable => Results.Problem(problem, statusCode: StatusCodes.Status409Conflict),
            MessageReplay.Outcome.UnknownReceiver => Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest),
            _ => Results.Problem(problem, statusCode: StatusCodes.Status422UnprocessableEntity),
        };
    }

    private static async Task<IResult> ReloadPartnersAsync(ReloadRequest? body, HttpContext http, PartnerReload reload, CancellationToken ct)
    {
        var (outcome, result, problem) = await reload.ReloadAsync(Actor.Of(http.User), Reason(body?.Reason), ct);
        return outcome switch
        {
            PartnerReload.Outcome.Done => Results.Ok(result),
            PartnerReload.Outcome.NotReloadable => Results.Problem(problem, statusCode: StatusCodes.Status409Conflict),
            _ => Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest),
        };
    }

    private static string? Reason(string? reason) => string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
}

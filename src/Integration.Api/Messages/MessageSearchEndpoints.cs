using Integration.Access;
using Integration.Monitoring.Search;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Api.Messages;

/// <summary>GET /api/messages: find messages by header id, type, event, sender, receiver, state and time.</summary>
public static class MessageSearchEndpoints
{
    public static IEndpointRouteBuilder MapMessageSearch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/messages", SearchAsync).RequireAuthorization(HubPolicies.ReadFlow);
        return endpoints;
    }

    private static async Task<IResult> SearchAsync(
        string? messageHeaderId, string? type, string? eventCode, string? sender, string? receiver, string? state,
        DateTimeOffset? from, DateTimeOffset? to, int? limit, string? before,
        HttpContext context, MessageSearch search, CancellationToken cancellationToken)
    {
        var parsedState = MessageSearch.ParseState(state);
        if (state is { Length: > 0 } && parsedState is null)
        {
            return Results.BadRequest(new { error = $"unknown state '{state}': received, routed, processed, failed, parked or discarded" });
        }

        var cursor = MessageCursor.Parse(before);
        if (before is { Length: > 0 } && cursor is null)
        {
            return Results.BadRequest(new { error = "before is not a cursor from a previous page" });
        }

        var criteria = new MessageSearchCriteria
        {
            MessageHeaderId = messageHeaderId,
            Type = type,
            EventCode = eventCode,
            Sender = sender,
            Receiver = receiver,
            State = parsedState,
            From = from,
            To = to,
            Municipality = context.User.MunicipalityScope(),
        };
        return Results.Ok(await search.FindAsync(criteria, Math.Clamp(limit ?? MessageSearch.DefaultLimit, 1, MessageSearch.MaxLimit), cursor, cancellationToken));
    }
}

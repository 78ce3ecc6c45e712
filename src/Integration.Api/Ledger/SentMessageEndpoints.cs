using Integration.Persistence;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace Integration.Api.Ledger;

/// <summary>The ACK ledger for operators: what the hub sent and whether the receivers acknowledged it.</summary>
public static class SentMessageEndpoints
{
    private const int MaxPageSize = 500;

    public static IEndpointRouteBuilder MapSentMessages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/sent-messages", ListAsync);
        endpoints.MapGet("/api/sent-messages/{messageHeaderId}", GetAsync);
        return endpoints;
    }

    /// <param name="state">sent, awaiting-ack, acknowledged, in-error or waiting-for-retry; all when absent.</param>
    private static async Task<IResult> ListAsync(string? state, int? limit, HubDbContext db, CancellationToken cancellationToken)
    {
        var query = db.SentMessages.AsNoTracking();
        if (state is not null)
        {
            if (SentMessageViews.Parse(state) is not { } parsed)
            {
                return Results.BadRequest(new { error = $"unknown state '{state}'" });
            }

            query = query.Where(s => s.State == parsed);
        }

        var rows = await query.OrderByDescending(s => s.UpdatedAt).Take(Math.Clamp(limit ?? 100, 1, MaxPageSize))
            .Include(s => s.Events).ToListAsync(cancellationToken);
        return Results.Ok(rows.Select(SentMessageViews.ToTrace));
    }

    private static async Task<IResult> GetAsync(string messageHeaderId, HubDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.SentMessages.AsNoTracking().Include(s => s.Events)
            .Where(s => s.MessageHeaderId == messageHeaderId).ToListAsync(cancellationToken);
        return rows.Count == 0 ? Results.NotFound() : Results.Ok(rows.Select(SentMessageViews.ToTrace));
    }
}

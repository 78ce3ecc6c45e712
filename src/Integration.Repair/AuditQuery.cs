using Integration.Access;
using Integration.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Integration.Repair;

public sealed record AuditFilter(DateTimeOffset? From, DateTimeOffset? To, string? Actor, string? Action, int Page);

public sealed record AuditView(long Id, DateTimeOffset At, string Actor, string Role, string Action, string? Target, string? Reason, string? Outcome, string? Municipality);

public sealed record AuditPage(int Page, int PageSize, int Total, IReadOnlyList<AuditView> Entries);

/// <summary>The audit, newest first, a page at a time; a principal limited to a municipality sees that municipality's entries.</summary>
public sealed class AuditQuery(IDbContextFactory<HubDbContext> dbFactory)
{
    public const int PageSize = 50;

    public async Task<AuditPage> ReadAsync(Actor actor, AuditFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking();
        if (actor.MunicipalityScope is { } scope)
        {
            query = query.Where(a => a.MunicipalityCode == scope);
        }

        if (filter.From is { } from)
        {
            query = query.Where(a => a.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(a => a.At < to);
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            query = query.Where(a => a.Actor == filter.Actor);
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            query = query.Where(a => a.Action == filter.Action);
        }

        var page = Math.Max(1, filter.Page);
        var total = await query.CountAsync(cancellationToken);
        var entries = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(a => new AuditView(a.Id, a.At, a.Actor, a.Role, a.Action, a.Target, a.Reason, a.Outcome, a.MunicipalityCode))
            .ToListAsync(cancellationToken);
        return new AuditPage(page, PageSize, total, entries);
    }
}

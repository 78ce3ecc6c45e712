using Integration.Persistence;
using Integration.Persistence.Statistics;
using Microsoft.EntityFrameworkCore;

namespace Integration.Monitoring.Flow;

/// <summary>
/// Adds the message events since the watermark to the per-minute flow statistics and moves the watermark, in one
/// transaction. The watermark is claimed first with its version: of two hub processes counting at once, the second
/// finds the version changed, counts nothing and rolls back, so no event is counted twice.
/// </summary>
public sealed class FlowCounter(IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock, DashboardOptions options)
{
    public const string Name = "message-events";

    /// <summary>One pass covers at most this much time, so catching up after a stop is a series of small transactions.</summary>
    private static readonly TimeSpan MaxSpanPerPass = TimeSpan.FromMinutes(15);

    /// <summary>Counts until the watermark is within the settle delay of now; returns how many events were counted.</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        // One target for the whole catch-up, in whole seconds: the databases keep less than .NET's 100 ns (PostgreSQL
        // microseconds, SQLite's integer form 100 µs), so a finer target read back as the watermark always lay a little
        // before it, and the loop never ended: it kept a core busy.
        var until = FloorTo(clock.GetUtcNow() - options.SettleDelay, TimeSpan.FromSeconds(1));
        var total = 0;
        while (await CountPassAsync(until, cancellationToken) is { } pass)
        {
            total += pass;
        }

        return total;
    }

    /// <summary>One transaction; null when there was nothing to count (caught up, or another process counted).</summary>
    private async Task<int?> CountPassAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var mark = await db.FlowWatermarks.AsNoTracking().FirstOrDefaultAsync(w => w.Counter == Name, cancellationToken)
            ?? await StartAsync(db, until, cancellationToken);
        if (mark is null)
        {
            return null;
        }

        var from = mark.CountedUntil;
        var to = from + MaxSpanPerPass < until ? from + MaxSpanPerPass : until;
        if (to <= from)
        {
            return null;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var claimed = await db.FlowWatermarks
            .Where(w => w.Counter == Name && w.Version == mark.Version)
            .ExecuteUpdateAsync(s => s.SetProperty(w => w.CountedUntil, to).SetProperty(w => w.Version, mark.Version + 1), cancellationToken);
        if (claimed == 0)
        {
            return null; // another hub process counted this span
        }

        var kinds = FlowEventKinds.Counted.ToList();
        var events = await db.MessageEvents.AsNoTracking()
            .Where(e => e.At >= from && e.At < to && kinds.Contains(e.Kind))
            .Join(db.Messages, e => e.MessageId, m => m.Id, (e, m) => new { e.At, e.Kind, m.MessageType, m.MunicipalityCode })
            .ToListAsync(cancellationToken);
        // Grouped here rather than in SQL: truncating a timestamp to its minute is written differently on each provider.
        var firstMinute = MinuteOf(from);
        var existing = await db.FlowMinutes.Where(f => f.Minute >= firstMinute && f.Minute < to).ToListAsync(cancellationToken);
        var minutes = existing.ToDictionary(f => (f.Minute, f.MessageType, f.MunicipalityCode));
        foreach (var e in events)
        {
            var key = (MinuteOf(e.At), e.MessageType, e.MunicipalityCode ?? string.Empty);
            if (!minutes.TryGetValue(key, out var minute))
            {
                minute = new FlowMinute { Minute = key.Item1, MessageType = key.MessageType, MunicipalityCode = key.Item3 };
                minutes.Add(key, minute);
                db.FlowMinutes.Add(minute);
            }

            FlowEventKinds.Count(minute, e.Kind);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return events.Count;
    }

    /// <summary>The first count starts at the oldest event, so a hub that already has history gets its charts filled.</summary>
    private static async Task<FlowWatermark?> StartAsync(HubDbContext db, DateTimeOffset until, CancellationToken cancellationToken)
    {
        var oldest = await db.MessageEvents.OrderBy(e => e.At).Select(e => (DateTimeOffset?)e.At).FirstOrDefaultAsync(cancellationToken);
        var mark = new FlowWatermark { Counter = Name, CountedUntil = MinuteOf(oldest ?? until) };
        db.FlowWatermarks.Add(mark);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return mark;
        }
        catch (DbUpdateException)
        {
            return null; // another hub process started counting at the same moment; the next tick uses its watermark
        }
    }

    public static DateTimeOffset MinuteOf(DateTimeOffset at) => FloorTo(at, TimeSpan.FromMinutes(1));

    public static DateTimeOffset FloorTo(DateTimeOffset at, TimeSpan step)
    {
        var ticks = at.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % step.Ticks), TimeSpan.Zero);
    }
}

using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Ledger;
using Integration.Persistence.Statistics;
using Microsoft.EntityFrameworkCore;

namespace Integration.Monitoring.Flow;

/// <summary>Reads the overview from the per-minute statistics, the messages table (live rate) and the ACK ledger.</summary>
public sealed class FlowOverviewQuery(IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock, IPartnerRegistry partners)
{
    public const string NoMunicipality = "none";

    /// <summary>Range name → (bucket width, number of buckets).</summary>
    private static readonly Dictionary<string, (TimeSpan Bucket, int Count)> Ranges = new(StringComparer.Ordinal)
    {
        ["hour"] = (TimeSpan.FromMinutes(1), 60),
        ["day"] = (TimeSpan.FromMinutes(15), 96),
        ["week"] = (TimeSpan.FromHours(1), 168),
    };

    public static bool IsRange(string range) => Ranges.ContainsKey(range);

    /// <param name="municipality">The caller's scope; null for all municipalities.</param>
    public async Task<FlowOverview> ReadAsync(string range, string? municipality, CancellationToken cancellationToken)
    {
        var (bucket, count) = Ranges[range];
        var now = clock.GetUtcNow();
        var to = FlowCounter.FloorTo(now, bucket) + bucket;
        var from = to - (bucket * count);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var minutes = db.FlowMinutes.AsNoTracking().Where(f => f.Minute >= from && f.Minute < to);
        if (municipality is not null)
        {
            minutes = minutes.Where(f => f.MunicipalityCode == municipality);
        }

        // The watermark first, then the minutes: the counter commits both together, so minutes read afterwards hold at
        // least everything up to the watermark read. The other way round a count committing in between would report a
        // watermark past minutes that do not include it yet.
        var countedUntil = await db.FlowWatermarks.AsNoTracking().Where(w => w.Counter == FlowCounter.Name)
            .Select(w => (DateTimeOffset?)w.CountedUntil).FirstOrDefaultAsync(cancellationToken);
        var rows = await minutes.ToListAsync(cancellationToken);
        var totals = Total(rows);
        return new FlowOverview
        {
            Range = range,
            BucketMinutes = (int)bucket.TotalMinutes,
            From = from,
            To = to,
            CountedUntil = countedUntil,
            Municipality = municipality,
            Totals = totals,
            ErrorRate = ErrorRate(totals),
            Series = Series(rows, from, bucket, count),
            ByType = Breakdown(rows, r => r.MessageType, from, bucket, count),
            ByMunicipality = Breakdown(rows, r => r.MunicipalityCode.Length == 0 ? NoMunicipality : r.MunicipalityCode, from, bucket, count),
            Rate = await RateAsync(db, municipality, now, cancellationToken),
            Acks = await AcksAsync(db, municipality, now, cancellationToken),
        };
    }

    private static List<FlowBreakdown> Breakdown(List<FlowMinute> rows, Func<FlowMinute, string> key, DateTimeOffset from, TimeSpan bucket, int count) =>
    [
        .. rows.GroupBy(key, StringComparer.Ordinal)
            .Select(g => { var totals = Total(g); return new FlowBreakdown(g.Key, totals, ErrorRate(totals), Series(g, from, bucket, count)); })
            .OrderByDescending(b => b.Totals.Received).ThenBy(b => b.Key, StringComparer.Ordinal),
    ];

    private static List<FlowPoint> Series(IEnumerable<FlowMinute> rows, DateTimeOffset from, TimeSpan bucket, int count)
    {
        var byBucket = rows.GroupBy(r => (int)((r.Minute - from).Ticks / bucket.Ticks)).ToDictionary(g => g.Key);
        return
        [
            .. Enumerable.Range(0, count).Select(i => byBucket.TryGetValue(i, out var g)
                ? new FlowPoint(from + (bucket * i), g.Sum(r => r.Received), g.Sum(r => r.Processed), g.Sum(r => r.Failed), g.Sum(r => r.Parked))
                : new FlowPoint(from + (bucket * i), 0, 0, 0, 0)),
        ];
    }

    private static FlowTotals Total(IEnumerable<FlowMinute> rows)
    {
        int received = 0, duplicates = 0, processed = 0, failed = 0, parked = 0, acks = 0;
        foreach (var r in rows)
        {
            received += r.Received;
            duplicates += r.Duplicates;
            processed += r.Processed;
            failed += r.Failed;
            parked += r.Parked;
            acks += r.AcksDelivered;
        }

        return new FlowTotals(received, duplicates, processed, failed, parked, acks);
    }

    private static double? ErrorRate(FlowTotals t) =>
        t.Processed + t.Failed + t.Parked is var finished and > 0 ? (double)(t.Failed + t.Parked) / finished : null;

    private static async Task<FlowRate> RateAsync(HubDbContext db, string? municipality, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var fiveMinutesAgo = now.AddMinutes(-5);
        var oneMinuteAgo = now.AddMinutes(-1);
        var recent = db.Messages.AsNoTracking().Where(m => m.ReceivedAt > fiveMinutesAgo && m.ReceivedAt <= now);
        if (municipality is not null)
        {
            recent = recent.Where(m => m.MunicipalityCode == municipality);
        }

        var lastFive = await recent.CountAsync(cancellationToken);
        var lastOne = await recent.CountAsync(m => m.ReceivedAt > oneMinuteAgo, cancellationToken);
        return new FlowRate(lastOne, lastFive / 5.0);
    }

    private async Task<AckFigures> AcksAsync(HubDbContext db, string? municipality, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sent = db.SentMessages.AsNoTracking();
        var acks = db.Acknowledgements.AsNoTracking().Where(a => a.DeliveredAt == null);
        if (municipality is not null)
        {
            // A municipality's part of the ledger: what its units sent (relayed) or receive, and what the hub sent
            // because of a message to it (episode status, admission reports).
            var units = partners.All.Where(p => p.MunicipalityCode == municipality).Select(p => p.Id).ToList();
            sent = sent.Where(s => units.Contains(s.ReceiverPartnerId)
                || (s.OriginPartnerId != null && units.Contains(s.OriginPartnerId))
                || db.Messages.Any(m => m.Id == s.SourceMessageId && m.MunicipalityCode == municipality));
            acks = acks.Where(a => db.Messages.Any(m => m.Id == a.MessageId && m.MunicipalityCode == municipality));
        }

        SentMessageState[] awaiting = [SentMessageState.Sent, SentMessageState.AwaitingAck, SentMessageState.WaitingForRetry];
        return new AckFigures
        {
            Awaited = await sent.CountAsync(s => awaiting.Contains(s.State), cancellationToken),
            Overdue = await sent.CountAsync(s => awaiting.Contains(s.State) && s.AckDeadline != null && s.AckDeadline < now, cancellationToken),
            InError = await sent.CountAsync(s => s.State == SentMessageState.InError, cancellationToken),
            AcksUndelivered = await acks.CountAsync(cancellationToken),
        };
    }
}

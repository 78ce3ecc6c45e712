namespace Integration.Monitoring.Flow;

/// <summary>GET /api/dashboard/overview: the flow over a range, shaped for charts (every bucket present, zeros included).</summary>
public sealed record FlowOverview
{
    /// <summary>hour, day or week.</summary>
    public required string Range { get; init; }
    /// <summary>Width of one bucket: 1 (hour), 15 (day) or 60 (week).</summary>
    public required int BucketMinutes { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    /// <summary>The statistics include events up to this instant (the counter runs behind by its settle delay).</summary>
    public DateTimeOffset? CountedUntil { get; init; }
    /// <summary>The municipality the caller is limited to; null when it sees all.</summary>
    public string? Municipality { get; init; }
    public required FlowTotals Totals { get; init; }
    /// <summary>(failed + parked) / (processed + failed + parked) over the range; null when nothing finished.</summary>
    public double? ErrorRate { get; init; }
    public required IReadOnlyList<FlowPoint> Series { get; init; }
    public required IReadOnlyList<FlowBreakdown> ByType { get; init; }
    /// <summary>Keyed by municipality code; "none" for messages that never reached a municipality (invalid, unknown receiver, relayed).</summary>
    public required IReadOnlyList<FlowBreakdown> ByMunicipality { get; init; }
    public required FlowRate Rate { get; init; }
    public required AckFigures Acks { get; init; }
}

/// <summary>One bucket; <c>t</c> is its start.</summary>
public sealed record FlowPoint(DateTimeOffset T, int Received, int Processed, int Failed, int Parked);

public sealed record FlowTotals(int Received, int Duplicates, int Processed, int Failed, int Parked, int AcksDelivered);

public sealed record FlowBreakdown(string Key, FlowTotals Totals, double? ErrorRate, IReadOnlyList<FlowPoint> Series);

/// <summary>Messages received per minute, live from the messages table (not from the statistics, which lag).</summary>
public sealed record FlowRate(int LastMinute, double LastFiveMinutes);

public sealed record AckFigures
{
    /// <summary>Messages the hub sent that await the receiver's acknowledgement (sent, awaiting-ack, waiting-for-retry).</summary>
    public required int Awaited { get; init; }
    /// <summary>Awaited and past their ACK deadline (the ledger resends them or puts them in error).</summary>
    public required int Overdue { get; init; }
    /// <summary>Resent as often as allowed and still not acknowledged: a person must act.</summary>
    public required int InError { get; init; }
    /// <summary>Acknowledgements the hub made for partners that are not delivered yet.</summary>
    public required int AcksUndelivered { get; init; }
}

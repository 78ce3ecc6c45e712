using Integration.Persistence.Statistics;

namespace Integration.Monitoring.Flow;

/// <summary>Which message events count as what in the flow statistics (the kinds are written by ingress, routing,
/// the municipal handlers and outbound).</summary>
internal static class FlowEventKinds
{
    private static readonly Dictionary<string, Action<FlowMinute>> Counters = new(StringComparer.Ordinal)
    {
        ["received"] = f => f.Received++,
        ["duplicate"] = f => f.Duplicates++,
        // A message reaches its end state "processed" in one of these ways: applied by a municipal handler, relayed
        // to a receiver outside the hub's municipalities, or (a partner's acknowledgement) matched against the ledger.
        ["processed"] = f => f.Processed++,
        ["relayed"] = f => f.Processed++,
        ["ack-matched"] = f => f.Processed++,
        ["ack-unmatched"] = f => f.Processed++,
        // Failed: broke MedCom's rules (invalid), reused a Bundle.id (rejected), or a handler gave up (failed).
        ["failed"] = f => f.Failed++,
        ["invalid"] = f => f.Failed++,
        ["rejected"] = f => f.Failed++,
        ["parked"] = f => f.Parked++,
        ["ack-delivered"] = f => f.AcksDelivered++,
    };

    public static IReadOnlyCollection<string> Counted => Counters.Keys;

    public static void Count(FlowMinute minute, string kind) => Counters[kind](minute);
}

using System.Diagnostics;

namespace Integration.Bench.Harness;

/// <summary>Latency percentiles and throughput of one group of messages (milliseconds, messages per second).</summary>
internal sealed record LatencySummary(
    string Group, int Posted, int Acknowledged, int NotOk, double Seconds, double MessagesPerSecond,
    double P50, double P95, double P99, double Max, double Mean);

/// <summary>
/// Post → acknowledgement-delivered latencies of one scenario, by group (e.g. the municipality that was stopped and the
/// others). Thread-safe: posts and acknowledgements arrive on many threads.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private int _acknowledged;

    /// <summary>Called after every acknowledgement (the closed-loop driver releases a slot).</summary>
    public Action? AcknowledgementArrived { get; set; }

    public int Acknowledged => Volatile.Read(ref _acknowledged);

    public void Posted(string group, long timestamp)
    {
        lock (_lock)
        {
            var g = GroupOf(group);
            g.Posted++;
            g.FirstPost = Math.Min(g.FirstPost, timestamp);
        }
    }

    public void Acknowledgement(string group, long postedAt, long arrivedAt, bool ok)
    {
        lock (_lock)
        {
            var g = GroupOf(group);
            g.Latencies.Add(Stopwatch.GetElapsedTime(postedAt, arrivedAt).TotalMilliseconds);
            g.LastAcknowledgement = Math.Max(g.LastAcknowledgement, arrivedAt);
            if (!ok)
            {
                g.NotOk++;
            }
        }

        Interlocked.Increment(ref _acknowledged);
        AcknowledgementArrived?.Invoke();
    }

    public IReadOnlyList<LatencySummary> Summaries()
    {
        lock (_lock)
        {
            return [.. _groups.Select(kv => Summarise(kv.Key, kv.Value)).OrderBy(s => s.Group, StringComparer.Ordinal)];
        }
    }

    /// <summary>All groups together.</summary>
    public LatencySummary Total()
    {
        lock (_lock)
        {
            var all = new Group
            {
                Posted = _groups.Values.Sum(g => g.Posted),
                NotOk = _groups.Values.Sum(g => g.NotOk),
                FirstPost = _groups.Values.Select(g => g.FirstPost).DefaultIfEmpty(0).Min(),
                LastAcknowledgement = _groups.Values.Select(g => g.LastAcknowledgement).DefaultIfEmpty(0).Max(),
            };
            all.Latencies.AddRange(_groups.Values.SelectMany(g => g.Latencies));
            return Summarise("all", all);
        }
    }

    private Group GroupOf(string name)
    {
        if (!_groups.TryGetValue(name, out var g))
        {
            g = new Group();
            _groups[name] = g;
        }

        return g;
    }

    private static LatencySummary Summarise(string name, Group g)
    {
        var sorted = g.Latencies.Order().ToArray();
        var seconds = sorted.Length == 0 ? 0 : Stopwatch.GetElapsedTime(g.FirstPost, g.LastAcknowledgement).TotalSeconds;
        return new LatencySummary(
            name, g.Posted, sorted.Length, g.NotOk, Math.Round(seconds, 2),
            seconds > 0 ? Math.Round(sorted.Length / seconds, 1) : 0,
            Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99),
            sorted.Length == 0 ? 0 : Math.Round(sorted[^1], 1),
            sorted.Length == 0 ? 0 : Math.Round(sorted.Average(), 1));
    }

    /// <summary>Nearest rank.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 1);

    private sealed class Group
    {
        public int Posted { get; set; }
        public int NotOk { get; set; }
        public long FirstPost { get; set; } = long.MaxValue;
        public long LastAcknowledgement { get; set; }
        public List<double> Latencies { get; } = [];
    }
}

using System.Diagnostics;

namespace Integration.Bench.Harness;

/// <summary>CPU (average cores busy) and peak memory of one process tree over a scenario.</summary>
internal sealed record ProcessResources(string Process, double CpuCores, double PeakMemoryMb, double StartMemoryMb, double EndMemoryMb);

/// <summary>Memory of every process tree at one moment of a run (for the soak's "flat or not").</summary>
internal sealed record MemorySample(double Seconds, IReadOnlyDictionary<string, double> MemoryMb);

/// <summary>Samples the process trees once a second for the whole run; scenarios read their window from it.</summary>
internal sealed class ResourceSampler : IAsyncDisposable
{
    private readonly List<IUsageSource> _trees = [];
    private readonly List<(long At, Dictionary<string, ProcessUsage> Usage)> _samples = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Watch(IUsageSource tree)
    {
        lock (_lock)
        {
            _trees.Add(tree);
        }
    }

    /// <summary>Stops following a tree (a process the run has stopped); the samples taken so far keep it.</summary>
    public void Unwatch(IUsageSource tree)
    {
        lock (_lock)
        {
            _trees.Remove(tree);
        }
    }

    public void Start() => _loop = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Sample();
            }
        }
        catch (OperationCanceledException)
        {
            // the run is over
        }
    });

    /// <summary>Takes a sample now and returns its time: a scenario's start or end.</summary>
    public long Mark() => Sample();

    public IReadOnlyList<ProcessResources> Window(long from, long to)
    {
        lock (_lock)
        {
            var inside = _samples.Where(s => s.At >= from && s.At <= to).ToList();
            var first = inside[0];
            var last = inside[^1];
            var seconds = Stopwatch.GetElapsedTime(first.At, last.At).TotalSeconds;
            // Only the trees watched over the whole window (the skeleton hub is watched for its scenarios only).
            return [.. first.Usage.Keys.Where(last.Usage.ContainsKey).Select(name => new ProcessResources(
                name,
                Math.Round((last.Usage[name].CpuSeconds - first.Usage[name].CpuSeconds) / seconds, 2),
                Mb(inside.Max(s => s.Usage[name].MemoryBytes)),
                Mb(first.Usage[name].MemoryBytes),
                Mb(last.Usage[name].MemoryBytes)))];
        }
    }

    /// <summary>Memory over a window, one sample every <paramref name="every"/>.</summary>
    public IReadOnlyList<MemorySample> MemoryOver(long from, long to, TimeSpan every)
    {
        lock (_lock)
        {
            var result = new List<MemorySample>();
            var next = 0.0;
            foreach (var (at, usage) in _samples.Where(s => s.At >= from && s.At <= to))
            {
                var seconds = Stopwatch.GetElapsedTime(from, at).TotalSeconds;
                if (seconds >= next)
                {
                    result.Add(new MemorySample(Math.Round(seconds), usage.ToDictionary(u => u.Key, u => Mb(u.Value.MemoryBytes), StringComparer.Ordinal)));
                    next = seconds + every.TotalSeconds;
                }
            }

            return result;
        }
    }

    private long Sample()
    {
        lock (_lock)
        {
            var at = Stopwatch.GetTimestamp();
            _samples.Add((at, _trees.ToDictionary(t => t.Name, t => t.Read(), StringComparer.Ordinal)));
            return at;
        }
    }

    private static double Mb(long bytes) => Math.Round(bytes / 1024.0 / 1024.0, 1);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}

using BenchmarkDotNet.Attributes;
using Integration.Ids;

namespace Integration.Bench.Micro;

/// <summary>
/// Making one id: the hub's <see cref="TimeOrderedId"/> (random bytes from a per-thread buffer, ADR 0026) against .NET's
/// own UUIDv7 (the baseline, in the same process), which reads the operating system's random number generator for every
/// id. Both are version 7 UUIDs with the same layout (TimeOrderedIdTests).
/// </summary>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet runs instance methods.")]
public class IdBenchmarks
{
    [Benchmark(Baseline = true)]
    public Guid DotNetCreateVersion7() => Guid.CreateVersion7();

    [Benchmark]
    public Guid TimeOrderedIdNew() => TimeOrderedId.New();
}

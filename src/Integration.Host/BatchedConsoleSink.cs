using System.Text;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace Integration.Host;

/// <summary>
/// Writes log events to a stream (standard output) a batch at a time, one write per batch, fed by Serilog's batching
/// (<c>WriteTo.Sink(IBatchedLogEventSink, BatchingOptions)</c>). The console sink behind an async wrapper woke its worker
/// thread and made a write for every line: at a low rate that was 5 % of the hub's CPU, most of it the worker's wake-ups
/// (docs/performance.md). Used when the output is redirected (a service, a container, the bench); an interactive
/// console keeps the coloured console sink.
/// </summary>
public sealed class BatchedConsoleSink(ITextFormatter formatter, Stream output) : IBatchedLogEventSink, IDisposable
{
    /// <summary>Up to 200 ms and 1,000 lines a write; at most 100,000 lines wait (more are dropped and counted in Serilog's
    /// SelfLog rather than hold up the hub when nobody reads its output).</summary>
    public static BatchingOptions Batching() =>
        new() { BufferingTimeLimit = TimeSpan.FromMilliseconds(200), BatchSizeLimit = 1000, QueueLimit = 100_000 };

    private readonly StreamWriter _writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024, leaveOpen: true);

    /// <summary>Serilog's batching loop calls this one batch at a time, so the writer needs no lock.</summary>
    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        foreach (var logEvent in batch)
        {
            formatter.Format(logEvent, _writer);
        }

        await _writer.FlushAsync();
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Dispose() => _writer.Dispose();
}

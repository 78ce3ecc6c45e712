using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace Integration.Persistence;

/// <summary>
/// Group commit: callers hand in one item each and wait for its result; a few writer loops take whatever items are
/// waiting (up to <see cref="MaxBatch"/>) and store them in one transaction. Under load one transaction, one context
/// and a few round trips serve many messages; alone, an item is written at once (nothing waits for a batch to fill).
/// When a batch fails, its items are written one by one, so a bad item fails alone and the others go on.
/// See docs/adr/0012-group-commit.md; a writer nobody waits on for latency may gather items for a while
/// (docs/adr/0016-gathered-bookkeeping-writes.md), and a batch that starts while another is being written may wait for
/// that write and take what comes meanwhile (docs/adr/0019-gathering-while-a-batch-is-written.md).
/// </summary>
public sealed class GroupCommit<TItem, TResult> : IAsyncDisposable
{
    private readonly Channel<Pending> _waiting = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> _writeBatch;
    private readonly Func<TItem, CancellationToken, Task<TResult>> _writeOne;
    private readonly Task[] _writers;
    private readonly KeyValuePair<string, object?> _name;
    private readonly TimeSpan _gather;
    private readonly TimeSpan _gatherWhileBusy;
    /// <summary>One writer at a time takes items (and gathers): a writer that has just finished must not take the items
    /// another is gathering for its batch.</summary>
    private readonly SemaphoreSlim _taking = new(1, 1);
    /// <summary>Batches being written now.</summary>
    private int _writing;
    /// <summary>Completed, and replaced, each time a batch has been written: what a gathering writer waits for.</summary>
    private TaskCompletionSource _batchWritten = NewSignal();

    /// <param name="name">What is written, for the metrics (<see cref="GroupCommitMetrics"/>).</param>
    /// <param name="writeBatch">Writes all items in one transaction; returns their results in the same order.</param>
    /// <param name="writeOne">Writes one item on its own: the fallback after a failed batch.</param>
    /// <param name="writers">Loops writing at once: with two, one batch is built while the other waits for the database.</param>
    /// <param name="gather">How long a batch goes on taking items after its first (until it is full); zero writes at once.
    /// Only for writes whose callers do not wait on them for latency (<see cref="ChannelBatches.ReadAsync"/>).</param>
    /// <param name="gatherWhileBusy">How long a batch whose first item comes while another batch is being written goes on
    /// taking items, at most: until that write ends, when the database is free for this one. A lone item (nothing being
    /// written) is written at once; under load, items that would each have started a transaction of their own beside the
    /// running one share the next (docs/adr/0019-gathering-while-a-batch-is-written.md). Zero: never.</param>
    public GroupCommit(
        string name,
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<TResult>>> writeBatch,
        Func<TItem, CancellationToken, Task<TResult>> writeOne,
        int maxBatch = 64,
        int writers = 2,
        TimeSpan gather = default,
        TimeSpan gatherWhileBusy = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(writers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(gather, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(gatherWhileBusy, TimeSpan.Zero);
        _name = new("writer", name);
        _gather = gather;
        _gatherWhileBusy = gatherWhileBusy;
        _writeBatch = writeBatch;
        _writeOne = writeOne;
        MaxBatch = maxBatch;
        _writers = [.. Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync))];
    }

    public int MaxBatch { get; }

    /// <summary>Completes when the item's transaction has committed (or fails with the item's own error).</summary>
    public Task<TResult> WriteAsync(TItem item)
    {
        var pending = new Pending(item, new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously), Stopwatch.GetTimestamp());
        if (!_waiting.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommit<TItem, TResult>), "The writer is stopping.");
        }

        return pending.Result.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await TakeAsync(batch))
        {
            if (batch.Count > 0)
            {
                Interlocked.Increment(ref _writing);
                try
                {
                    await WriteAsync(batch);
                }
                finally
                {
                    Interlocked.Decrement(ref _writing);
                    Interlocked.Exchange(ref _batchWritten, NewSignal()).TrySetResult();
                }

                batch.Clear();
            }
        }
    }

    /// <returns>False once the writer is stopping and nothing is waiting.</returns>
    private async Task<bool> TakeAsync(List<Pending> batch)
    {
        await _taking.WaitAsync();
        try
        {
            if (!await ChannelBatches.ReadAsync(_waiting.Reader, batch, MaxBatch, _gather))
            {
                return false;
            }

            if (_gatherWhileBusy > TimeSpan.Zero && batch.Count is > 0 && batch.Count < MaxBatch)
            {
                // Taken before the count is read: a write that ends in between has completed this signal, so it is never missed.
                var written = Volatile.Read(ref _batchWritten).Task;
                if (Volatile.Read(ref _writing) > 0)
                {
                    GroupCommitMetrics.GatheredWhileBusy.Add(1, _name);
                    await written.WaitAsync(_gatherWhileBusy).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    ChannelBatches.Take(_waiting.Reader, batch, MaxBatch);
                }
            }

            return true;
        }
        finally
        {
            _taking.Release();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task WriteAsync(List<Pending> batch)
    {
        var started = Stopwatch.GetTimestamp();
        foreach (var pending in batch)
        {
            GroupCommitMetrics.Waited.Record(Stopwatch.GetElapsedTime(pending.HandedInAt, started).TotalMilliseconds, _name);
        }

        GroupCommitMetrics.BatchSize.Record(batch.Count, _name);
        await WriteOrFallBackAsync(batch);
        GroupCommitMetrics.Duration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _name);
    }

    private async Task WriteOrFallBackAsync(List<Pending> batch)
    {
        if (batch.Count > 1)
        {
            try
            {
                var results = await _writeBatch([.. batch.Select(p => p.Item)], CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Result.TrySetResult(results[i]);
                }

                return;
            }
#pragma warning disable CA1031 // any failure of the batch is answered by writing its items one by one
            catch (Exception)
#pragma warning restore CA1031
            {
                // Rolled back as a whole; each item gets its own transaction below and its own error, if any.
                GroupCommitMetrics.FailedBatches.Add(1, _name);
            }
        }

        foreach (var pending in batch)
        {
            try
            {
                pending.Result.TrySetResult(await _writeOne(pending.Item, CancellationToken.None));
            }
#pragma warning disable CA1031 // the caller gets the exception through its task
            catch (Exception ex)
#pragma warning restore CA1031
            {
                pending.Result.TrySetException(ex);
            }
        }
    }

    /// <summary>Takes no more items, writes those already handed in (a started write is never cancelled), then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _waiting.Writer.TryComplete();
        await Task.WhenAll(_writers);
        _taking.Dispose();
    }

    private sealed record Pending(TItem Item, TaskCompletionSource<TResult> Result, long HandedInAt);
}

/// <summary>
/// The group commits' instruments (meter <c>Integration.Hub</c>, tag <c>writer</c>): how many items a batch held, how long
/// an item waited for its batch, how long a batch took, and how many batches failed and were written item by item.
/// Read them with <c>dotnet-counters monitor -p PID --counters Integration.Hub</c> or any OpenTelemetry exporter.
/// </summary>
public static class GroupCommitMetrics
{
    public const string MeterName = "Integration.Hub";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("hub.group_commit.batch_size", "{item}", "Items written in one transaction");
    internal static readonly Histogram<double> Waited = Meter.CreateHistogram<double>("hub.group_commit.wait", "ms", "Time an item waited for its batch to start");
    internal static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("hub.group_commit.duration", "ms", "Time a batch took, fallback included");
    internal static readonly Counter<long> GatheredWhileBusy = Meter.CreateCounter<long>("hub.group_commit.gathered_while_busy", "{batch}", "Batches that waited for the running write to end, taking the items that came meanwhile");
    internal static readonly Counter<long> FailedBatches = Meter.CreateCounter<long>("hub.group_commit.failed_batches", "{batch}", "Batches rolled back and written item by item");
}

using System.Threading.Channels;

namespace Integration.Persistence;

/// <summary>Takes the items waiting in a channel as one batch, for the loops that write batches (<see cref="GroupCommit{TItem, TResult}"/>,
/// the outbox's sent marks).</summary>
public static class ChannelBatches
{
    /// <summary>
    /// Waits for an item, then takes every item waiting, up to <paramref name="max"/>. With a <paramref name="gather"/> time it
    /// goes on taking the items that arrive within that time of the first, until the batch is full: for writes nobody waits on
    /// (bookkeeping), where one transaction per interval costs less than one per item when items come one at a time
    /// (docs/adr/0016-gathered-bookkeeping-writes.md). The gathering runs on real time, not the hub's clock: it is about
    /// the machine's work, and a test's frozen clock must not hold a batch back.
    /// </summary>
    /// <returns>False once the channel is completed and empty. True may come with an empty batch (another reader took the item).</returns>
    public static async ValueTask<bool> ReadAsync<T>(ChannelReader<T> reader, List<T> batch, int max, TimeSpan gather)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(batch);
        if (!await reader.WaitToReadAsync(CancellationToken.None))
        {
            return false;
        }

        Take(reader, batch, max);
        if (gather <= TimeSpan.Zero || batch.Count == 0 || batch.Count >= max)
        {
            return true;
        }

        using var gathering = new CancellationTokenSource(gather);
        try
        {
            // False when the channel is completed (the writer is stopping): the batch is written at once.
            while (batch.Count < max && await reader.WaitToReadAsync(gathering.Token))
            {
                Take(reader, batch, max);
            }
        }
        catch (OperationCanceledException) when (gathering.IsCancellationRequested)
        {
            // The gathering time is over: write what there is.
        }

        return true;
    }

    /// <summary>Takes the items waiting now, until the batch holds <paramref name="max"/>; does not wait.</summary>
    public static void Take<T>(ChannelReader<T> reader, List<T> batch, int max)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(batch);
        while (batch.Count < max && reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }
}

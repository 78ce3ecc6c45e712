namespace Integration.Persistence.Tests;

[Trait("Category", "Unit")]
public sealed class GroupCommitTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly int[] GoodItems = [11, 12, 14];

    [Fact]
    public async Task GivenItemsHandedInWhileAWriteRuns_WhenItEnds_ThenTheyAreWrittenTogetherInOneBatch()
    {
        var batches = new List<int[]>();
        var firstWriteStarted = new TaskCompletionSource();
        var releaseFirstWrite = new TaskCompletionSource();
        await using var commit = new GroupCommit<int, int>(
            "test",
            async (items, _) =>
            {
                lock (batches)
                {
                    batches.Add([.. items]);
                }

                return [.. items.Select(i => i * 10)];
            },
            async (item, _) =>
            {
                lock (batches)
                {
                    batches.Add([item]);
                }

                firstWriteStarted.TrySetResult();
                await releaseFirstWrite.Task;
                return item * 10;
            },
            maxBatch: 64,
            writers: 1);

        var first = commit.WriteAsync(0);
        await firstWriteStarted.Task.WaitAsync(Patience);
        var waiting = Enumerable.Range(1, 10).Select(commit.WriteAsync).ToList();
        releaseFirstWrite.SetResult();

        Assert.Equal(0, await first.WaitAsync(Patience));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 10), await Task.WhenAll(waiting).WaitAsync(Patience));
        Assert.Equal([[0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]], batches);
    }

    [Fact]
    public async Task GivenMoreItemsThanABatchHolds_WhenWritten_ThenNoBatchIsLargerThanTheLimit()
    {
        var sizes = new List<int>();
        var gate = new SemaphoreSlim(0);
        await using var commit = new GroupCommit<int, int>(
            "test",
            async (items, cancellationToken) =>
            {
                await gate.WaitAsync(cancellationToken);
                lock (sizes)
                {
                    sizes.Add(items.Count);
                }

                return [.. items];
            },
            async (item, cancellationToken) =>
            {
                await gate.WaitAsync(cancellationToken);
                lock (sizes)
                {
                    sizes.Add(1);
                }

                return item;
            },
            maxBatch: 4,
            writers: 1);

        var all = Enumerable.Range(0, 9).Select(commit.WriteAsync).ToList();
        gate.Release(100);

        Assert.Equal(Enumerable.Range(0, 9), await Task.WhenAll(all).WaitAsync(Patience));
        Assert.All(sizes, size => Assert.InRange(size, 1, 4));
        Assert.Equal(9, sizes.Sum());
    }

    [Fact]
    public async Task GivenABatchThatFails_WhenWritten_ThenEachItemIsWrittenAloneAndOnlyTheBadOneFails()
    {
        var started = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        var alone = new List<int>();
        await using var commit = new GroupCommit<int, int>(
            "test",
            (items, _) => items.Contains(13)
                ? throw new InvalidOperationException("the batch rolled back")
                : Task.FromResult<IReadOnlyList<int>>([.. items]),
            async (item, _) =>
            {
                if (item == -1)
                {
                    started.TrySetResult();
                    await release.Task;
                    return item;
                }

                lock (alone)
                {
                    alone.Add(item);
                }

                return item == 13 ? throw new ArgumentException("item 13 is bad") : item;
            },
            writers: 1);

        var blocker = commit.WriteAsync(-1);
        await started.Task.WaitAsync(Patience);
        var good = GoodItems.Select(commit.WriteAsync).ToList();
        var bad = commit.WriteAsync(13);
        release.SetResult();

        var written = await Task.WhenAll(good).WaitAsync(Patience);
        Assert.Equal(GoodItems, written);
        await Assert.ThrowsAsync<ArgumentException>(() => bad.WaitAsync(Patience));
        Assert.Equal(-1, await blocker);
        Assert.Equal([11, 12, 13, 14], alone.Order());
    }

    [Fact]
    public async Task GivenItemsHandedIn_WhenDisposed_ThenTheyAreStillWrittenAndNewOnesAreRefused()
    {
        var written = 0;
        var commit = new GroupCommit<int, int>(
            "test",
            async (items, cancellationToken) =>
            {
                await Task.Delay(20, cancellationToken);
                Interlocked.Add(ref written, items.Count);
                return [.. items];
            },
            async (item, cancellationToken) =>
            {
                await Task.Delay(20, cancellationToken);
                Interlocked.Increment(ref written);
                return item;
            });

        var all = Enumerable.Range(0, 20).Select(commit.WriteAsync).ToList();
        await commit.DisposeAsync();

        Assert.Equal(20, Volatile.Read(ref written));
        Assert.All(all, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Throws<ObjectDisposedException>(() => { _ = commit.WriteAsync(99); });
    }

    [Fact]
    public async Task GivenAGatherTime_WhenItemsComeOneAtATimeWithinIt_ThenTheyAreWrittenInOneBatch()
    {
        var batches = new List<int[]>();
        await using var commit = Recording(batches, maxBatch: 64, gather: TimeSpan.FromSeconds(3));

        var first = commit.WriteAsync(0);
        await Task.Delay(50);
        var second = commit.WriteAsync(1);
        await Task.Delay(50);
        var third = commit.WriteAsync(2);

        var written = await Task.WhenAll(first, second, third).WaitAsync(Patience);
        Assert.Equal([0, 10, 20], written);
        Assert.Equal([[0, 1, 2]], batches);
    }

    [Fact]
    public async Task GivenAGatherTime_WhenTheBatchFills_ThenItIsWrittenWithoutWaitingOutTheTime()
    {
        var batches = new List<int[]>();
        await using var commit = Recording(batches, maxBatch: 3, gather: TimeSpan.FromMinutes(5));

        var written = await Task.WhenAll(Enumerable.Range(0, 3).Select(commit.WriteAsync)).WaitAsync(Patience);

        Assert.Equal([0, 10, 20], written);
        Assert.Equal([[0, 1, 2]], batches);
    }

    [Fact]
    public async Task GivenAGatherTime_WhenDisposedWhileGathering_ThenWhatWasGatheredIsWrittenAtOnce()
    {
        var batches = new List<int[]>();
        var commit = Recording(batches, maxBatch: 64, gather: TimeSpan.FromMinutes(5));
        var first = commit.WriteAsync(7);
        var second = commit.WriteAsync(8);

        await commit.DisposeAsync().AsTask().WaitAsync(Patience);

        var written = await Task.WhenAll(first, second);
        Assert.Equal([70, 80], written);
        Assert.Equal([7, 8], batches.SelectMany(b => b));
    }

    [Fact]
    public async Task GivenABatchBeingWritten_WhenItemsComeOneAfterAnother_ThenTheyWaitForItAndShareTheNextBatch()
    {
        var batches = new List<int[]>();
        var zeroStarted = new TaskCompletionSource();
        var releaseZero = new TaskCompletionSource();
        // Far longer than the test's pauses; short enough that a writer caught waiting lets the disposal end.
        await using var commit = BlockingOnZero(batches, zeroStarted, releaseZero, gatherWhileBusy: TimeSpan.FromSeconds(30));

        var zero = commit.WriteAsync(0);
        Task<int> one, two, three;
        try
        {
            await zeroStarted.Task.WaitAsync(Patience);
            one = commit.WriteAsync(1);
            // Without gathering the second writer would have written 1 on its own by now.
            await Task.Delay(300);
            two = commit.WriteAsync(2);
            three = commit.WriteAsync(3);
            await Task.Delay(100);
            lock (batches)
            {
                Assert.Equal([[0]], batches); // 1, 2 and 3 wait for the write of 0, not for the 30 s
            }
        }
        finally
        {
            releaseZero.TrySetResult(); // a failed assertion must not leave the writer (and the disposal) waiting
        }

        var written = await Task.WhenAll(zero, one, two, three).WaitAsync(Patience);
        Assert.Equal([0, 10, 20, 30], written);
        Assert.Equal([[0], [1, 2, 3]], batches);
    }

    [Fact]
    public async Task GivenNothingBeingWritten_WhenAnItemComes_ThenItIsWrittenAtOnce()
    {
        var batches = new List<int[]>();
        // Longer than the patience (a wait fails the test), short enough that a writer caught waiting lets the disposal end.
        await using var commit = BlockingOnZero(batches, new TaskCompletionSource(), new TaskCompletionSource(), gatherWhileBusy: TimeSpan.FromSeconds(30));

        Assert.Equal(10, await commit.WriteAsync(1).WaitAsync(Patience));
        Assert.Equal(20, await commit.WriteAsync(2).WaitAsync(Patience));
        Assert.Equal([[1], [2]], batches);
    }

    [Fact]
    public async Task GivenABatchBeingWrittenLongerThanTheGatherTime_WhenAnItemComes_ThenItIsWrittenBesideItAfterThatTime()
    {
        var batches = new List<int[]>();
        var zeroStarted = new TaskCompletionSource();
        var releaseZero = new TaskCompletionSource();
        await using var commit = BlockingOnZero(batches, zeroStarted, releaseZero, gatherWhileBusy: TimeSpan.FromMilliseconds(200));

        var zero = commit.WriteAsync(0);
        try
        {
            await zeroStarted.Task.WaitAsync(Patience);
            Assert.Equal(10, await commit.WriteAsync(1).WaitAsync(Patience)); // written while 0 still is
            Assert.False(zero.IsCompleted);
        }
        finally
        {
            releaseZero.TrySetResult();
        }
        Assert.Equal(0, await zero.WaitAsync(Patience));
        Assert.Equal([[0], [1]], batches);
    }

    /// <summary>A group commit with two writers that records each batch it writes and answers item × 10; the write of a
    /// batch holding 0 signals <paramref name="zeroStarted"/> and waits for <paramref name="releaseZero"/>.</summary>
    private static GroupCommit<int, int> BlockingOnZero(
        List<int[]> batches, TaskCompletionSource zeroStarted, TaskCompletionSource releaseZero, TimeSpan gatherWhileBusy)
    {
        async Task<IReadOnlyList<int>> Write(IReadOnlyList<int> items)
        {
            lock (batches)
            {
                batches.Add([.. items]);
            }

            if (Enumerable.Contains(items, 0))
            {
                zeroStarted.TrySetResult();
                await releaseZero.Task;
            }

            return [.. items.Select(i => i * 10)];
        }

        return new GroupCommit<int, int>(
            "test",
            (items, _) => Write(items),
            async (item, _) => (await Write([item]))[0],
            maxBatch: 64,
            writers: 2,
            gatherWhileBusy: gatherWhileBusy);
    }

    /// <summary>A group commit with one writer that records each batch it writes and answers item × 10.</summary>
    private static GroupCommit<int, int> Recording(List<int[]> batches, int maxBatch, TimeSpan gather) =>
        new(
            "test",
            (items, _) =>
            {
                lock (batches)
                {
                    batches.Add([.. items]);
                }

                return Task.FromResult<IReadOnlyList<int>>([.. items.Select(i => i * 10)]);
            },
            (item, _) =>
            {
                lock (batches)
                {
                    batches.Add([item]);
                }

                return Task.FromResult(item * 10);
            },
            maxBatch,
            writers: 1,
            gather);
}

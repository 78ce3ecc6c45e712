using System.Text;
using Integration.Host;
using Serilog;
using Serilog.Configuration;
using Serilog.Formatting.Display;

namespace Integration.EndToEnd.Tests;

[Trait("Category", "Unit")]
public sealed class BatchedConsoleSinkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    // {Properties:j}: the properties the message does not already show, as JSON (as the console sink has it, without its spaces).
    [Fact]
    public async Task GivenLinesLoggedTogether_WhenTheirBatchIsFull_ThenTheyAreWrittenInOneWriteAsTheConsoleSinkFormatsThem()
    {
        var output = new CountingStream();
        var logger = new LoggerConfiguration()
            .WriteTo.Sink(
                new BatchedConsoleSink(new MessageTemplateTextFormatter("[{Level:u3}] {Message:lj} {Properties:j}{NewLine}"), output),
                // A batch of three, and a time limit no test waits for: the batch is written when it is full. (On disposal
                // Serilog may write what is left in more than one batch, depending on what its loop has read by then.)
                new BatchingOptions { BufferingTimeLimit = TimeSpan.FromMinutes(5), BatchSizeLimit = 3, EagerlyEmitFirstEvent = true })
            .CreateLogger();

        // The first line is written at once (liveness at start-up); the ones after it wait for their batch.
        logger.Information("Started {Count} consumers", 98);
        await WaitUntilAsync(() => output.Writes >= 1);
        Assert.Equal(1, output.Writes);
        logger.Information("Accepted {MessageId} from {Sender}", "m-1", "ean:5790000000001");
        logger.Information("Accepted {MessageId} from {Sender}", "m-2", "ean:5790000000001");
        Assert.Equal(1, output.Writes);
        logger.ForContext("Queue", "municipality.101").Warning("Rejected {MessageId}", "m-3");
        await WaitUntilAsync(() => output.Writes >= 2);
        await logger.DisposeAsync();

        Assert.Equal(2, output.Writes);
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            "[INF] Started 98 consumers {}",
            "[INF] Accepted m-1 from ean:5790000000001 {}",
            "[INF] Accepted m-2 from ean:5790000000001 {}",
            "[WRN] Rejected m-3 {\"Queue\":\"municipality.101\"}",
        ], lines);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    /// <summary>A memory stream that counts the writes reaching it (a flushed StreamWriter makes one per buffer). A write
    /// is told by the length it leaves: the stream's write methods call each other, and one write must count once.</summary>
    private sealed class CountingStream : MemoryStream
    {
        private readonly HashSet<long> _lengthsAfterWrites = [];

        public int Writes
        {
            get
            {
                lock (_lengthsAfterWrites)
                {
                    return _lengthsAfterWrites.Count;
                }
            }
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            Written();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            base.Write(buffer);
            Written();
        }

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            await base.WriteAsync(buffer.AsMemory(offset, count), cancellationToken);
            Written();
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await base.WriteAsync(buffer, cancellationToken);
            Written();
        }

        private void Written()
        {
            lock (_lengthsAfterWrites)
            {
                _lengthsAfterWrites.Add(Length);
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using Integration.Contracts;
using Integration.Persistence;
using Integration.Persistence.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Messaging.Outbox;

/// <summary>
/// Sends outbox rows as soon as the transaction that wrote them has committed, many at once, and marks the sent ones in
/// batches. This is the normal path; <see cref="OutboxDispatcher"/> is the safety net for rows this process did not get
/// to (a crash, a broker outage, another process's rows). A committed row is leased to this process when it is written
/// (<see cref="OutboxCommitInterceptor"/>), so the dispatcher leaves it alone until the lease runs out.
/// See docs/adr/0010-outbox-send-after-commit.md.
/// </summary>
public sealed partial class OutboxSender(
    CommittedOutboxRows committed,
    IDbContextFactory<HubDbContext> dbFactory,
    ISendEndpointProvider sendEndpoints,
    TimeProvider clock,
    ILogger<OutboxSender> logger) : BackgroundService
{
    /// <summary>How long a freshly committed row is left to this process's sender before the dispatcher may take it.</summary>
    internal static readonly TimeSpan CommitLease = TimeSpan.FromSeconds(30);
    /// <summary>A failed send is retried by the dispatcher after this pause.</summary>
    internal static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);
    /// <summary>A send caught in a broker restart can wait for a confirm that never comes: give up and retry the row.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    /// <summary>Transactions whose rows await their publisher confirms at once: a confirm takes milliseconds, so one at a
    /// time caps the hub. The rows of one transaction are sent together.</summary>
    private const int ConcurrentSends = 32;
    private const int MaxMarkBatch = 1000;
    private static readonly ConcurrentDictionary<string, Type?> Types = new(StringComparer.Ordinal);

    private readonly Channel<long> _sent = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var marker = MarkSentLoopAsync();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, ConcurrentSends).Select(_ => SendLoopAsync(stoppingToken)));
        }
        finally
        {
            // Mark what was sent before stopping, so a restart does not send it again.
            _sent.Writer.TryComplete();
            await marker;
        }
    }

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var rows in committed.Reader.ReadAllAsync(stoppingToken))
            {
                // A group commit (ADR 0012) writes the rows of many messages in one transaction: their confirms overlap too.
                await Task.WhenAll(rows.Select(row => SendAndRecordAsync(row, stoppingToken)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: rows not sent yet stay leased in the table and the dispatcher sends them after the lease.
        }
    }

    private async Task SendAndRecordAsync(OutboxMessage row, CancellationToken stoppingToken)
    {
        if (await SendAsync(row, stoppingToken) is { } failure)
        {
            await RecordFailureAsync(row.Id, failure);
        }
        else
        {
            _sent.Writer.TryWrite(row.Id);
        }
    }

    private async Task MarkSentLoopAsync()
    {
        var ids = new List<long>(MaxMarkBatch);
        while (await _sent.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (ids.Count < MaxMarkBatch && _sent.Reader.TryRead(out var id))
            {
                ids.Add(id);
            }

            try
            {
                await MarkSentAsync(ids, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // Unmarked rows are sent again after their lease; receivers are idempotent (inbox), so that is harmless.
                LogMarkFailed(logger, ids.Count, ex);
            }

            ids.Clear();
        }
    }

    internal async Task MarkSentAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await db.Outbox.Where(o => ids.Contains(o.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.SentAt, now).SetProperty(o => o.Attempts, o => o.Attempts + 1), cancellationToken);
    }

    /// <summary>Sends one row and waits for the broker's confirm; returns the failure, or null when the broker has it.</summary>
    internal async Task<Exception?> SendAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        try
        {
            var type = Types.GetOrAdd(row.MessageType, static name => typeof(RouteMessage).Assembly.GetType(name))
                ?? throw new InvalidOperationException($"Unknown contract type {row.MessageType}.");
            var message = JsonSerializer.Deserialize(row.Body, type, OutboxWriter.Json)!;
            var started = Stopwatch.GetTimestamp();
            var endpoint = await sendEndpoints.GetSendEndpoint(new Uri($"queue:{row.Destination}")).WaitAsync(SendTimeout, cancellationToken);
            // RabbitMQ publisher confirms: Send completes when the broker has the message. If the confirm is lost the
            // row is sent again after its lease; receivers are idempotent, so a copy does no harm.
            await endpoint.Send(message, type, cancellationToken).WaitAsync(SendTimeout, cancellationToken);
            OutboxMetrics.Confirmed.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            OutboxMetrics.Waited.Record((clock.GetUtcNow() - row.CreatedAt).TotalMilliseconds);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSendFailed(logger, row.Id, row.Destination, ex);
            return ex;
        }
    }

    /// <summary>Counts the attempt and lets the dispatcher retry the row shortly.</summary>
    internal async Task RecordFailureAsync(long id, Exception failure)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            var retryAt = clock.GetUtcNow() + RetryAfterFailure;
            await db.Outbox.Where(o => o.Id == id)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Attempts, o => o.Attempts + 1)
                    .SetProperty(o => o.LastError, failure.GetType().Name)
                    .SetProperty(o => o.LockedUntil, retryAt), CancellationToken.None);
        }
        catch (Exception ex)
        {
            LogMarkFailed(logger, 1, ex); // the lease runs out and the dispatcher retries the row anyway
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox row {OutboxId} to {Destination} not sent; will retry")]
    private static partial void LogSendFailed(ILogger logger, long outboxId, string destination, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the state of {Count} outbox row(s); they are sent again after their lease")]
    private static partial void LogMarkFailed(ILogger logger, int count, Exception exception);
}

/// <summary>The outbox's instruments (meter <c>Integration.Hub</c>): how long a send waited for the broker's confirm, and
/// how long a row waited from its writing to that confirm.</summary>
internal static class OutboxMetrics
{
    private static readonly Meter Meter = new(Persistence.GroupCommitMetrics.MeterName);

    public static readonly Histogram<double> Confirmed = Meter.CreateHistogram<double>("hub.outbox.confirm", "ms", "Time from send to the broker's publisher confirm");
    public static readonly Histogram<double> Waited = Meter.CreateHistogram<double>("hub.outbox.wait", "ms", "Time from writing an outbox row to its confirmed send");
}

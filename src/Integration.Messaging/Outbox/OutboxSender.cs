using System.Collections.Concurrent;
using System.Collections.Frozen;
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
/// Sends outbox rows as soon as the transaction that wrote them has committed, many at once, and removes the sent ones in
/// batches (docs/adr/0024-sent-outbox-rows-deleted.md). This is the normal path; <see cref="OutboxDispatcher"/> is the
/// safety net for rows this process did not get to (a crash, a broker outage, another process's rows). A committed row
/// is leased to this process when it is written (<see cref="OutboxCommitInterceptor"/>), so the dispatcher leaves it
/// alone until the lease runs out.
/// See docs/adr/0010-outbox-send-after-commit.md.
/// </summary>
public sealed partial class OutboxSender(
    CommittedOutboxRows committed,
    IDbContextFactory<HubDbContext> dbFactory,
    ISendEndpointProvider sendEndpoints,
    IEnumerable<IInProcessHandler> inProcessHandlers,
    MessagingOptions options,
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
    private const int MaxRemoveBatch = 1000;
    /// <summary>Removing sent rows is bookkeeping (a row left when its lease runs out is only sent again, and receivers are
    /// idempotent): gathered for up to this long, they cost one statement a second at a low rate rather than one
    /// transaction per message (docs/adr/0016-gathered-bookkeeping-writes.md). Far inside <see cref="CommitLease"/>.</summary>
    internal static readonly TimeSpan RemoveGather = TimeSpan.FromSeconds(1);
    private static readonly ConcurrentDictionary<string, Type?> Types = new(StringComparer.Ordinal);

    /// <summary>Messages handled in process at once; beyond that a row goes through the broker, so a slow partner can
    /// neither hold up the send loops nor pile up work in memory.</summary>
    private const int InProcessAtOnce = 64;
    /// <summary>An in-process handler not done by then gives the message to the broker: well within the commit lease, so
    /// the dispatcher never sends a row the handler is still working on.</summary>
    internal static readonly TimeSpan InProcessTimeout = TimeSpan.FromSeconds(10);

    private readonly Channel<long> _sent = Channel.CreateUnbounded<long>(new UnboundedChannelOptions { SingleReader = true });
    private readonly FrozenDictionary<(string Queue, string Type), IInProcessHandler> _inProcess = options.InProcessDelivery
        ? inProcessHandlers.ToFrozenDictionary(h => (h.Queue, h.MessageType.FullName!))
        : FrozenDictionary<(string Queue, string Type), IInProcessHandler>.Empty;
    /// <summary>A slot is held from the start of an in-process attempt to its end (fallback included): stopping takes
    /// them all, so it waits for every attempt.</summary>
    private readonly SemaphoreSlim _inProcessSlots = new(InProcessAtOnce, InProcessAtOnce);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var remover = RemoveSentLoopAsync();
        try
        {
            await Task.WhenAll(Enumerable.Range(0, ConcurrentSends).Select(_ => SendLoopAsync(stoppingToken)));
        }
        finally
        {
            for (var slot = 0; slot < InProcessAtOnce; slot++)
            {
                await _inProcessSlots.WaitAsync(CancellationToken.None);
            }

            // Remove what was sent before stopping, so a restart does not send it again.
            _sent.Writer.TryComplete();
            await remover;
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
        if (_inProcess.TryGetValue((row.Destination, row.MessageType), out var handler) && _inProcessSlots.Wait(0, CancellationToken.None))
        {
            // Not awaited: the handler may wait seconds on a partner, and the send loop has other rows to send. It never
            // throws (failures go to the broker, whose failures are recorded).
            _ = HandleInProcessAsync(handler, row, stoppingToken);
            return;
        }

        await SendViaBrokerAsync(row, stoppingToken);
    }

    private async Task HandleInProcessAsync(IInProcessHandler handler, OutboxMessage row, CancellationToken stoppingToken)
    {
        try
        {
            var handled = false;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(InProcessTimeout);
                handled = await handler.TryHandleAsync(Deserialize(row, ContractType(row)), row.Id, timeout.Token);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogInProcessFailed(logger, row.Id, row.Destination, ex);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: the row stays leased and unsent; the dispatcher sends it through the broker after the lease.
            }

            if (handled)
            {
                InProcessMetrics.Handled.Add(1); // the handler's outcome removes the row
            }
            else if (!stoppingToken.IsCancellationRequested)
            {
                InProcessMetrics.LeftToBroker.Add(1);
                await SendViaBrokerAsync(row, stoppingToken);
            }
        }
        finally
        {
            _inProcessSlots.Release();
        }
    }

    private async Task SendViaBrokerAsync(OutboxMessage row, CancellationToken stoppingToken)
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

    private async Task RemoveSentLoopAsync()
    {
        var ids = new List<long>(MaxRemoveBatch);
        while (await ChannelBatches.ReadAsync(_sent.Reader, ids, MaxRemoveBatch, RemoveGather))
        {
            if (ids.Count == 0)
            {
                continue;
            }

            try
            {
                await RemoveSentAsync(ids, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // Rows left are sent again after their lease; receivers are idempotent (inbox), so that is harmless.
                LogBookkeepingFailed(logger, ids.Count, ex);
            }

            ids.Clear();
        }
    }

    internal async Task RemoveSentAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.RemoveSentAsync(ids, cancellationToken);
    }

    /// <summary>Sends one row and waits for the broker's confirm; returns the failure, or null when the broker has it.</summary>
    internal async Task<Exception?> SendAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        try
        {
            var type = ContractType(row);
            var message = Deserialize(row, type);
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

    private static Type ContractType(OutboxMessage row) =>
        Types.GetOrAdd(row.MessageType, static name => typeof(RouteMessage).Assembly.GetType(name))
        ?? throw new InvalidOperationException($"Unknown contract type {row.MessageType}.");

    private static object Deserialize(OutboxMessage row, Type type) => JsonSerializer.Deserialize(row.Body, type, OutboxWriter.Json)!;

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
            LogBookkeepingFailed(logger, 1, ex); // the lease runs out and the dispatcher retries the row anyway
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox row {OutboxId} to {Destination} not sent; will retry")]
    private static partial void LogSendFailed(ILogger logger, long outboxId, string destination, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox row {OutboxId} to {Destination} not handled in process; sending it through the broker")]
    private static partial void LogInProcessFailed(ILogger logger, long outboxId, string destination, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the state of {Count} outbox row(s); they are sent again after their lease")]
    private static partial void LogBookkeepingFailed(ILogger logger, int count, Exception exception);
}

/// <summary>The outbox's instruments (meter <c>Integration.Hub</c>): how long a send waited for the broker's confirm, and
/// how long a row waited from its writing to that confirm.</summary>
internal static class OutboxMetrics
{
    private static readonly Meter Meter = new(Persistence.GroupCommitMetrics.MeterName);

    public static readonly Histogram<double> Confirmed = Meter.CreateHistogram<double>("hub.outbox.confirm", "ms", "Time from send to the broker's publisher confirm");
    public static readonly Histogram<double> Waited = Meter.CreateHistogram<double>("hub.outbox.wait", "ms", "Time from writing an outbox row to its confirmed send");
}

/// <summary>Outbox rows handled in process (<see cref="IInProcessHandler"/>), and those left to the broker after an
/// in-process attempt (meter <c>Integration.Hub</c>).</summary>
internal static class InProcessMetrics
{
    private static readonly Meter Meter = new(Persistence.GroupCommitMetrics.MeterName);

    public static readonly Counter<long> Handled = Meter.CreateCounter<long>("hub.outbox.in_process", "{row}", "Outbox rows handled in process, without the broker");
    public static readonly Counter<long> LeftToBroker = Meter.CreateCounter<long>("hub.outbox.in_process_fallback", "{row}", "Outbox rows an in-process handler did not finish, sent through the broker");
}

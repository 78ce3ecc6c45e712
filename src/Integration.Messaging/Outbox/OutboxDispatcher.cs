using System.Collections.Concurrent;
using System.Text.Json;
using Integration.Contracts;
using Integration.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Messaging.Outbox;

/// <summary>
/// Sends committed outbox rows to their queues and marks them sent. A row is claimed with a short lease first, so
/// several hub processes can dispatch from one database without sending a row twice at the same time. A crash between
/// send and mark sends the row again later: receivers are idempotent (inbox), so that is harmless.
/// See docs/adr/0001-transactional-inbox-outbox.md.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IDbContextFactory<HubDbContext> dbFactory,
    ISendEndpointProvider sendEndpoints,
    OutboxSignal signal,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    /// <summary>A send caught in a broker restart can wait for a confirm that never comes: give up and retry the row.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);
    private static readonly ConcurrentDictionary<string, Type?> Types = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            int sent;
            try
            {
                sent = await DispatchBatchAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDispatchFailed(logger, ex);
                sent = 0;
                await Task.Delay(PollInterval, clock, stoppingToken);
            }

            if (sent < BatchSize)
            {
                await signal.WaitAsync(PollInterval, stoppingToken);
            }
        }
    }

    internal async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var candidates = await db.Outbox
            .Where(o => o.SentAt == null && (o.LockedUntil == null || o.LockedUntil < now))
            .OrderBy(o => o.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        var sent = 0;
        foreach (var row in candidates)
        {
            var previousLease = row.LockedUntil;
            var claimed = await db.Outbox
                .Where(o => o.Id == row.Id && o.SentAt == null && o.LockedUntil == previousLease)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.LockedUntil, now + Lease), cancellationToken);
            if (claimed == 0)
            {
                continue; // another dispatcher has it
            }

            try
            {
                var type = Types.GetOrAdd(row.MessageType, static name => typeof(RouteMessage).Assembly.GetType(name))
                    ?? throw new InvalidOperationException($"Unknown contract type {row.MessageType}.");
                var message = JsonSerializer.Deserialize(row.Body, type, OutboxWriter.Json)!;
                var endpoint = await sendEndpoints.GetSendEndpoint(new Uri($"queue:{row.Destination}")).WaitAsync(SendTimeout, cancellationToken);
                // RabbitMQ publisher confirms: Send completes when the broker has the message. If the confirm is lost the
                // row is sent again after its lease; receivers are idempotent, so a copy does no harm.
                await endpoint.Send(message, type, cancellationToken).WaitAsync(SendTimeout, cancellationToken);
                await db.Outbox.Where(o => o.Id == row.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.SentAt, clock.GetUtcNow()).SetProperty(o => o.Attempts, o => o.Attempts + 1), cancellationToken);
                sent++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSendFailed(logger, row.Id, row.Destination, ex);
                await db.Outbox.Where(o => o.Id == row.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(o => o.Attempts, o => o.Attempts + 1)
                        .SetProperty(o => o.LastError, ex.GetType().Name)
                        .SetProperty(o => o.LockedUntil, clock.GetUtcNow() + TimeSpan.FromSeconds(5)), CancellationToken.None);
            }
        }

        return sent;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox dispatch failed")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox row {OutboxId} to {Destination} not sent; will retry")]
    private static partial void LogSendFailed(ILogger logger, long outboxId, string destination, Exception exception);
}

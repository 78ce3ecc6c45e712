using Integration.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Messaging.Outbox;

/// <summary>
/// The outbox's safety net: sends committed rows that no sender has (the process that wrote them crashed, the broker
/// was down, a send failed) and removes them once sent. Rows are normally sent by <see cref="OutboxSender"/> right after
/// their commit and leased to it meanwhile, so this loop only sees rows whose lease has run out. A row is claimed with a
/// short lease first, so several hub processes can poll one database without sending a row twice at the same time.
/// A crash between send and removal sends the row again later: receivers are idempotent (inbox), so that is harmless.
/// See docs/adr/0001-transactional-inbox-outbox.md and docs/adr/0010-outbox-send-after-commit.md.
/// </summary>
internal sealed partial class OutboxDispatcher(
    IDbContextFactory<HubDbContext> dbFactory,
    OutboxSender sender,
    TimeProvider clock,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

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
            }

            if (sent < BatchSize)
            {
                await Task.Delay(PollInterval, clock, stoppingToken);
            }
        }
    }

    /// <summary>Claims up to a batch of unleased rows (every row is unsent) one by one, sends them together and removes the
    /// sent ones at once.</summary>
    internal async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var candidates = await db.Outbox.AsNoTracking()
            .Where(o => o.LockedUntil == null || o.LockedUntil < now)
            .OrderBy(o => o.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);

        var claimed = new List<Persistence.Outbox.OutboxMessage>(candidates.Count);
        foreach (var row in candidates)
        {
            var previousLease = row.LockedUntil;
            var won = await db.Outbox
                .Where(o => o.Id == row.Id && o.LockedUntil == previousLease)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.LockedUntil, now + Lease), cancellationToken);
            if (won == 1)
            {
                claimed.Add(row); // otherwise another dispatcher has it
            }
        }

        // Confirms overlap: the rows' sends wait for the broker together rather than one after another.
        var failures = await Task.WhenAll(claimed.Select(row => sender.SendAsync(row, cancellationToken)));
        var sent = claimed.Where((_, i) => failures[i] is null).Select(row => row.Id).ToList();
        if (sent.Count > 0)
        {
            await sender.RemoveSentAsync(sent, cancellationToken);
        }

        for (var i = 0; i < claimed.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                await sender.RecordFailureAsync(claimed[i].Id, failure);
            }
        }

        return sent.Count;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox dispatch failed")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);
}

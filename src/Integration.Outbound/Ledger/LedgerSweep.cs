using Integration.Fhir;
using Integration.Ids;
using Integration.Messaging.Outbox;
using Integration.Persistence;
using Integration.Persistence.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Outbound.Ledger;

/// <summary>
/// Resends what is due: sendings without an acknowledgement after <see cref="LedgerOptions.AckTimeout"/>, and messages
/// waiting for a retry. A resend has a new Bundle.id and the same MessageHeader.id; after
/// <see cref="LedgerOptions.MaxResends"/> resends the message goes in error for an operator.
/// </summary>
public sealed partial class LedgerSweep(
    IDbContextFactory<HubDbContext> dbFactory,
    IMessageReenveloper reenveloper,
    LedgerOptions options,
    TimeProvider clock,
    ILogger<LedgerSweep> logger)
{
    private const int BatchSize = 100;

    /// <returns>How many messages were resent or put in error.</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var due = await db.SentMessages
            .Where(s => ((s.State == SentMessageState.Sent || s.State == SentMessageState.AwaitingAck) && s.AckDeadline <= now)
                        || (s.State == SentMessageState.WaitingForRetry && s.NextAttemptAt <= now))
            .OrderBy(s => s.CreatedAt)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        var changed = 0;
        foreach (var row in due)
        {
            var unanswered = row.State is SentMessageState.Sent or SentMessageState.AwaitingAck;
            if (row.Sendings > options.MaxResends)
            {
                row.State = SentMessageState.InError;
                row.AckDeadline = null;
                row.NextAttemptAt = null;
                row.LastError = unanswered
                    ? $"no acknowledgement after {row.Sendings} sendings"
                    : $"still failing after {row.Sendings} sendings: {row.LastError}";
                DeliverSentMessageConsumer.Touch(row, now, "in-error", row.LastError);
                LogInError(logger, row.MessageHeaderId, row.ReceiverPartnerId, row.Sendings);
            }
            else
            {
                var bundleId = TimeOrderedId.New().ToString();
                row.FhirJson = reenveloper.Reenvelope(row.FhirJson, bundleId, now);
                row.CurrentBundleId = bundleId;
                row.Sendings++;
                row.State = SentMessageState.Sent;
                row.LastSentAt = now;
                row.AckDeadline = now + options.AckTimeout;
                row.NextAttemptAt = null;
                DeliverSentMessageConsumer.Touch(row, now, "resent",
                    $"Bundle {bundleId} (sending {row.Sendings}) because {(unanswered ? "no acknowledgement came" : "a retry was due")}");
                SentMessageWriter.QueueDelivery(db, row, now);
                LogResent(logger, row.MessageHeaderId, row.ReceiverPartnerId, row.Sendings);
            }

            changed++;
        }

        if (changed == 0)
        {
            return 0;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another hub instance or an arriving ACK changed one of these rows; the next sweep sees the new state.
            return 0;
        }

        return changed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resent {MessageId} to {PartnerId} (sending {Sending})")]
    private static partial void LogResent(ILogger logger, string messageId, string partnerId, int sending);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{MessageId} to {PartnerId} is in error after {Sendings} sendings")]
    private static partial void LogInError(ILogger logger, string messageId, string partnerId, int sendings);
}

/// <summary>Runs <see cref="LedgerSweep"/> every <see cref="LedgerOptions.SweepInterval"/>.</summary>
public sealed partial class LedgerSweeper(LedgerSweep sweep, LedgerOptions options, ILogger<LedgerSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A real-time timer on purpose: the ledger's own clock (TimeProvider) decides what is due, so tests can move it.
        using var timer = new PeriodicTimer(options.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await sweep.RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogSweepFailed(logger, exception.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ledger sweep failed ({ExceptionType}); next sweep retries")]
    private static partial void LogSweepFailed(ILogger logger, string exceptionType);
}

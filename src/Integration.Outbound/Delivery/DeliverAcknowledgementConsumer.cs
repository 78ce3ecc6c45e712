using Integration.Contracts;
using Integration.Messaging;
using Integration.Messaging.Outbox;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Messages;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Integration.Outbound.Delivery;

/// <summary>Delivers a stored acknowledgement to the sender's channel and records whether it arrived: from the broker
/// (<see cref="DeliverAcknowledgementConsumer"/>) or straight after commit (<see cref="InProcessAcknowledgementDelivery"/>).
/// A delivery made before (its inbox row) is not made again.</summary>
public sealed partial class AcknowledgementDelivery(
    AcknowledgementDeliveries deliveries,
    IPartnerRegistry partners,
    PartnerDelivery delivery,
    ReadAhead readAhead,
    ILogger<AcknowledgementDelivery> logger)
{
    /// <summary>A delivery whose command came through the broker: it may be a copy, so a delivery made before (its inbox
    /// row) is not made again, and this one is remembered.</summary>
    public async Task DeliverAsync(DeliverAcknowledgement command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        // The writer in this process left the acknowledgement for its first delivery: a delivery id is new with each
        // command, so one found here was not delivered before. Otherwise (a redelivery, another process) it is looked up.
        var (deliveredBefore, ack) = readAhead.Take<AcknowledgementRecord>(command.DeliveryId) is { } written
            ? (false, written)
            : await deliveries.LookUpAsync(command);
        if (deliveredBefore)
        {
            return; // delivered before; the broker redelivered the command (e.g. its ack was lost in a broker restart)
        }

        if (ack is null)
        {
            LogUnknownAck(logger, command.AcknowledgementId);
            return;
        }

        await DeliverAsync(command, ack, outboxId: null, cancellationToken);
    }

    /// <summary>
    /// The first delivery of a command, in process straight after the commit that queued it (ADR 0013): nothing can
    /// have delivered it before, and its outbox row is removed with the outcome, so no copy of it is ever sent and
    /// no inbox row is needed. False when the writer's acknowledgement is not at hand (then the broker takes it).
    /// Returns once delivered: the outcome is recorded with others shortly after (ADR 0016), not awaited here, so the
    /// outbox's in-process slot is held for the partner only.
    /// </summary>
    public async Task<bool> TryDeliverFirstAsync(DeliverAcknowledgement command, long outboxId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (readAhead.Take<AcknowledgementRecord>(command.DeliveryId) is not { } ack)
        {
            return false;
        }

        await DeliverAsync(command, ack, outboxId, cancellationToken);
        return true;
    }

    /// <param name="outboxId">Set for a first delivery in process (removed with the outcome, no inbox row; the outcome
    /// is not awaited).</param>
    private async Task DeliverAsync(DeliverAcknowledgement command, AcknowledgementRecord ack, long? outboxId, CancellationToken cancellationToken)
    {
        var partner = command.PartnerId is null ? null : partners.FindById(command.PartnerId);
        if (partner is null)
        {
            await RecordAsync(new DeliveryOutcome(ack, RememberDeliveryId: null, outboxId, Delivered: false, "ack-undeliverable", "the sender is not in the partner registry"));
            LogUndeliverable(logger, ack.AckMessageHeaderId);
            return;
        }

        await delivery.DeliverAsync(partner, new PartnerMessage
        {
            PartnerId = partner.Id,
            MessageHeaderId = ack.AckMessageHeaderId,
            BundleId = ack.AckBundleId,
            MessageType = "acknowledgement-message",
            ContentType = "application/fhir+json",
            FhirJson = ack.FhirJson,
        }, cancellationToken);
        await RecordAsync(new DeliveryOutcome(
            ack, outboxId is null ? command.DeliveryId : null, outboxId, Delivered: true, "ack-delivered", $"{ack.Code} via {partner.Delivery.Type.ToString().ToLowerInvariant()} to {partner.Id}"));
        LogDelivered(logger, ack.AckMessageHeaderId, ack.Code, partner.Id);
    }

    /// <summary>
    /// A delivery from the broker waits for its outcome to be recorded (its inbox row keeps a copy of the command from
    /// being delivered again). A first delivery in process does not: its outbox row stays until the outcome is
    /// written, so a lost outcome (a crash, a failed write) has the row sent again after its lease, and the partner gets
    /// the same acknowledgement again, which MedCom receivers expect of a resend.
    /// </summary>
    private Task RecordAsync(DeliveryOutcome outcome)
    {
        var recorded = deliveries.RecordAsync(outcome);
        if (outcome.OutboxId is null)
        {
            return recorded;
        }

        _ = recorded.ContinueWith(
            static (failed, state) => LogOutcomeNotRecorded((ILogger)state!, failed.Exception!.GetBaseException()),
            logger,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledgement {AcknowledgementId} not found; nothing delivered")]
    private static partial void LogUnknownAck(ILogger logger, Guid acknowledgementId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledgement {AckMessageHeaderId} cannot be delivered: sender unknown")]
    private static partial void LogUndeliverable(ILogger logger, string ackMessageHeaderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outcome of an acknowledgement's delivery was not recorded; its outbox row is sent again after its lease")]
    private static partial void LogOutcomeNotRecorded(ILogger logger, Exception exception);

    // Debug: every message ends in one, the trace records it (ack-delivered), and a delivery that fails is logged as a warning
    // (docs/performance.md: each log line per message is a share of the hub's CPU).
    [LoggerMessage(Level = LogLevel.Debug, Message = "Delivered acknowledgement {AckMessageHeaderId} ({AckCode}) to {PartnerId}")]
    private static partial void LogDelivered(ILogger logger, string ackMessageHeaderId, string ackCode, string partnerId);
}

/// <summary>Delivers an acknowledgement whose command came through the broker (hub.outbound): a copy the outbox sent
/// again, an in-process attempt that failed, or a row of a process that stopped. A failure is retried by the endpoint.</summary>
public sealed class DeliverAcknowledgementConsumer(AcknowledgementDelivery delivery) : IConsumer<DeliverAcknowledgement>
{
    public Task Consume(ConsumeContext<DeliverAcknowledgement> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return delivery.DeliverAsync(context.Message, context.CancellationToken);
    }
}

/// <summary>
/// Delivers an acknowledgement straight after the transaction that queued it has committed, without the broker: the
/// hub's every message ends in one, and the broker round trip, the consumer and a second lookup were a large share of
/// its cost (docs/adr/0013-in-process-ack-delivery.md). A delivery that fails here goes on through the broker, where
/// <see cref="DeliverAcknowledgementConsumer"/> retries it.
/// </summary>
public sealed class InProcessAcknowledgementDelivery(AcknowledgementDelivery delivery) : IInProcessHandler
{
    public string Queue => QueueNames.Outbound;

    public Type MessageType => typeof(DeliverAcknowledgement);

    public Task<bool> TryHandleAsync(object message, long outboxId, CancellationToken cancellationToken) =>
        delivery.TryDeliverFirstAsync((DeliverAcknowledgement)message, outboxId, cancellationToken);
}

/// <summary>What became of one delivery of an acknowledgement.</summary>
/// <param name="RememberDeliveryId">A command from the broker that arrived: its delivery id is kept in the inbox, so a copy
/// of the command is not delivered again.</param>
/// <param name="OutboxId">A first delivery in process: its outbox row, removed in the same commit.</param>
public sealed record DeliveryOutcome(AcknowledgementRecord Ack, Guid? RememberDeliveryId, long? OutboxId, bool Delivered, string Kind, string Detail)
{
    /// <summary>When the outcome was known: the time on the message's trace, whenever its batch is written.</summary>
    internal DateTimeOffset At { get; init; }
}

/// <summary>
/// The database side of delivering acknowledgements, for all deliveries under way at once: what a delivery needs is read
/// for all waiting ones with two queries, and their outcomes are recorded in one transaction (group commit,
/// docs/adr/0012-group-commit.md). The delivery itself (HTTP or the partner's queue) runs per message, in parallel.
/// </summary>
public sealed class AcknowledgementDeliveries : IAsyncDisposable
{
    internal const string InboxConsumer = "outbound.ack-delivery";

    // Compiled once per model: every delivered ACK asks this (docs/performance.md, EF's per-execution query preparation).
    private static readonly CompiledQuery<Func<HubDbContext, List<Guid>, IAsyncEnumerable<AcknowledgementRecord>>> AcknowledgementsQuery = new(() =>
        EF.CompileAsyncQuery((HubDbContext db, List<Guid> ids) => db.Acknowledgements.AsNoTracking().Where(a => ids.Contains(a.Id))));

    private readonly IDbContextFactory<HubDbContext> _dbFactory;
    private readonly TimeProvider _clock;
    private readonly GroupCommit<DeliverAcknowledgement, (bool DeliveredBefore, AcknowledgementRecord? Ack)> _lookups;
    private readonly GroupCommit<DeliveryOutcome, bool> _outcomes;

    public AcknowledgementDeliveries(IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock)
    {
        _dbFactory = dbFactory;
        _clock = clock;
        _lookups = new("outbound.ack-lookup", LookUpAsync, async (command, cancellationToken) => (await LookUpAsync([command], cancellationToken))[0]);
        _outcomes = new(
            "outbound.ack-outcome",
            RecordAsync,
            async (outcome, cancellationToken) => (await RecordAsync([outcome], cancellationToken))[0],
            maxBatch: 256,
            writers: 1,
            gather: OutcomeGather);
    }

    /// <summary>How long a batch of outcomes waits for more after its first: a first delivery in process does not wait
    /// for its outcome, and at a low rate one transaction per outcome was a quarter of a message's transactions.</summary>
    internal static readonly TimeSpan OutcomeGather = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether the delivery was made before, and the acknowledgement it delivers (null: unknown).</summary>
    public Task<(bool DeliveredBefore, AcknowledgementRecord? Ack)> LookUpAsync(DeliverAcknowledgement command) => _lookups.WriteAsync(command);

    /// <summary>Records the outcome on the acknowledgement and the message's trace; completes once committed. Outcomes
    /// are gathered for up to <see cref="OutcomeGather"/> into one transaction (ADR 0016).</summary>
    public Task RecordAsync(DeliveryOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return _outcomes.WriteAsync(outcome with { At = _clock.GetUtcNow() });
    }

    private async Task<IReadOnlyList<(bool, AcknowledgementRecord?)>> LookUpAsync(IReadOnlyList<DeliverAcknowledgement> commands, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        var deliveredBefore = await DeliveryInbox.DeliveredBeforeAsync(db, InboxConsumer, [.. commands.Select(c => c.DeliveryId)], cancellationToken);
        var ackIds = commands.Select(c => c.AcknowledgementId).Distinct().ToList();
        var acks = (await AcknowledgementsQuery.For(db)(db, ackIds).ToListAsync(cancellationToken)).ToDictionary(a => a.Id);
        return [.. commands.Select(c => (deliveredBefore.Contains(c.DeliveryId), acks.GetValueOrDefault(c.AcknowledgementId)))];
    }

    private async Task<IReadOnlyList<bool>> RecordAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // One update per kind of change: arrived (the error cleared), or not (the reason kept). An acknowledgement delivered
        // twice in the batch (a resend) counts both attempts. Its DeliveredAt is the time of the group's latest outcome:
        // delivered by then, at most the gathering time (OutcomeGather) after the fact; the trace has each outcome's own time.
        foreach (var group in outcomes.GroupBy(o => (o.Delivered, o.Delivered ? null : o.Detail)))
        {
            var deliveredBy = group.Max(o => o.At);
            foreach (var sameCount in group.GroupBy(o => o.Ack.Id).GroupBy(g => g.Count(), g => g.Key))
            {
                var ids = sameCount.ToList();
                var attempts = sameCount.Key;
                var (delivered, error) = group.Key;
                await db.Acknowledgements.Where(a => ids.Contains(a.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.DeliveryAttempts, a => a.DeliveryAttempts + attempts)
                    .SetProperty(a => a.DeliveredAt, a => delivered ? deliveredBy : a.DeliveredAt)
                    .SetProperty(a => a.LastDeliveryError, a => delivered ? null : error), cancellationToken);
            }
        }

        var rows = outcomes.Where(o => o.OutboxId is not null).Select(o => o.OutboxId!.Value).ToList();
        if (rows.Count > 0)
        {
            await db.RemoveSentAsync(rows, cancellationToken);
        }

        foreach (var outcome in outcomes)
        {
            db.AddEvent(new MessageEvent { MessageId = outcome.Ack.MessageId, At = outcome.At, Kind = outcome.Kind, Detail = outcome.Detail });
            if (outcome.RememberDeliveryId is { } deliveryId)
            {
                DeliveryInbox.Remember(db, InboxConsumer, deliveryId, outcome.At);
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return [.. outcomes.Select(_ => true)];
    }

    public async ValueTask DisposeAsync()
    {
        await _lookups.DisposeAsync();
        await _outcomes.DisposeAsync();
    }
}

/// <summary>When every retry of a delivery failed: record it on the message's trace so an operator sees it.</summary>
public sealed class AcknowledgementDeliveryFaultConsumer(IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock)
    : IConsumer<Fault<DeliverAcknowledgement>>
{
    public async Task Consume(ConsumeContext<Fault<DeliverAcknowledgement>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message.Message;
        var reason = context.Message.Exceptions.FirstOrDefault()?.ExceptionType ?? "unknown";
        await using var db = await dbFactory.CreateDbContextAsync(context.CancellationToken);
        await db.Acknowledgements.Where(a => a.Id == command.AcknowledgementId).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.DeliveryAttempts, a => a.DeliveryAttempts + 1)
            .SetProperty(a => a.LastDeliveryError, reason), context.CancellationToken);
        db.AddEvent(new MessageEvent { MessageId = command.MessageId, At = clock.GetUtcNow(), Kind = "ack-delivery-failed", Detail = reason });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

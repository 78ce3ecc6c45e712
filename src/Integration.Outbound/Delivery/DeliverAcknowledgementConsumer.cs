using Integration.Contracts;
using Integration.Messaging.Outbox;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Messages;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Integration.Outbound.Delivery;

/// <summary>
/// Delivers a stored acknowledgement to the sender's channel and records whether it arrived; once per delivery id, however
/// often it is asked. Used by the <c>hub.outbound</c> consumer and, straight after the commit that created the
/// acknowledgement, by <see cref="InProcessAcknowledgementDelivery"/>.
/// </summary>
public sealed partial class AcknowledgementDelivery(
    IDbContextFactory<HubDbContext> dbFactory,
    IPartnerRegistry partners,
    PartnerDelivery delivery,
    TimeProvider clock,
    ILogger<AcknowledgementDelivery> logger)
{
    private const string InboxConsumer = "outbound.ack-delivery";

    /// <summary>Throws when the partner did not take it (the caller retries).</summary>
    public async Task DeliverAsync(DeliverAcknowledgement command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await DeliveryInbox.DeliveredBeforeAsync(db, InboxConsumer, command.DeliveryId, cancellationToken))
        {
            return; // delivered before; the broker redelivered the command (e.g. its ack was lost in a broker restart)
        }

        var ack = await db.Acknowledgements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == command.AcknowledgementId, cancellationToken);
        if (ack is null)
        {
            LogUnknownAck(logger, command.AcknowledgementId);
            return;
        }

        var partner = command.PartnerId is null ? null : partners.FindById(command.PartnerId);
        if (partner is null)
        {
            await RecordAsync(db, ack, delivered: false, "ack-undeliverable", "the sender is not in the partner registry", cancellationToken);
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
        DeliveryInbox.Remember(db, InboxConsumer, command.DeliveryId, clock.GetUtcNow());
        await RecordAsync(db, ack, delivered: true, "ack-delivered", $"{ack.Code} via {partner.Delivery.Type.ToString().ToLowerInvariant()} to {partner.Id}", cancellationToken);
        LogDelivered(logger, ack.AckMessageHeaderId, ack.Code, partner.Id);
    }

    private async Task RecordAsync(HubDbContext db, AcknowledgementRecord ack, bool delivered, string kind, string detail, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Acknowledgements.Where(a => a.Id == ack.Id).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.DeliveryAttempts, a => a.DeliveryAttempts + 1)
            .SetProperty(a => a.DeliveredAt, a => delivered ? now : a.DeliveredAt)
            .SetProperty(a => a.LastDeliveryError, a => delivered ? null : detail), cancellationToken);
        db.MessageEvents.Add(new MessageEvent { MessageId = ack.MessageId, At = now, Kind = kind, Detail = detail });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledgement {AcknowledgementId} not found; nothing delivered")]
    private static partial void LogUnknownAck(ILogger logger, Guid acknowledgementId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Acknowledgement {AckMessageHeaderId} cannot be delivered: sender unknown")]
    private static partial void LogUndeliverable(ILogger logger, string ackMessageHeaderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered acknowledgement {AckMessageHeaderId} ({AckCode}) to {PartnerId}")]
    private static partial void LogDelivered(ILogger logger, string ackMessageHeaderId, string ackCode, string partnerId);
}

/// <summary>Delivers acknowledgements that come through <c>hub.outbound</c>: those not delivered in process right after
/// their commit, and retries.</summary>
public sealed class DeliverAcknowledgementConsumer(AcknowledgementDelivery delivery) : IConsumer<DeliverAcknowledgement>
{
    public Task Consume(ConsumeContext<DeliverAcknowledgement> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return delivery.DeliverAsync(context.Message, context.CancellationToken);
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
        db.MessageEvents.Add(new MessageEvent { MessageId = command.MessageId, At = clock.GetUtcNow(), Kind = "ack-delivery-failed", Detail = reason });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

using Integration.Contracts;
using Integration.Messaging.Outbox;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Messages;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Integration.Outbound.Delivery;

/// <summary>Delivers a stored acknowledgement to the sender's channel and records whether it arrived.</summary>
public sealed partial class DeliverAcknowledgementConsumer(
    IDbContextFactory<HubDbContext> dbFactory,
    IPartnerRegistry partners,
    PartnerDelivery delivery,
    TimeProvider clock,
    ILogger<DeliverAcknowledgementConsumer> logger) : IConsumer<DeliverAcknowledgement>
{
    private const string InboxConsumer = "outbound.ack-delivery";

    public async Task Consume(ConsumeContext<DeliverAcknowledgement> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message;
        await using var db = await dbFactory.CreateDbContextAsync(context.CancellationToken);
        if (await DeliveryInbox.DeliveredBeforeAsync(db, InboxConsumer, command.DeliveryId, context.CancellationToken))
        {
            return; // delivered before; the broker redelivered the command (e.g. its ack was lost in a broker restart)
        }

        var ack = await db.Acknowledgements.AsNoTracking().FirstOrDefaultAsync(a => a.Id == command.AcknowledgementId, context.CancellationToken);
        if (ack is null)
        {
            LogUnknownAck(logger, command.AcknowledgementId);
            return;
        }

        var partner = command.PartnerId is null ? null : partners.FindById(command.PartnerId);
        if (partner is null)
        {
            await RecordAsync(db, ack, delivered: false, "ack-undeliverable", "the sender is not in the partner registry", context.CancellationToken);
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
        }, context.CancellationToken);
        DeliveryInbox.Remember(db, InboxConsumer, command.DeliveryId, clock.GetUtcNow());
        await RecordAsync(db, ack, delivered: true, "ack-delivered", $"{ack.Code} via {partner.Delivery.Type.ToString().ToLowerInvariant()} to {partner.Id}", context.CancellationToken);
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

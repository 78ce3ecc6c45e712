using Integration.Contracts;
using Integration.Fhir;
using Integration.Messaging;
using Integration.Messaging.Outbox;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Microsoft.EntityFrameworkCore;

namespace Integration.Outbound.Acknowledgements;

/// <summary>
/// Creates the MedCom Acknowledgement for a message inside the caller's transaction and queues its delivery.
/// One ACK per message: asked again (a resend), it queues the stored ACK again, unchanged.
/// </summary>
public sealed class AcknowledgementWriter(IAcknowledgementFactory factory, IPartnerRegistry partners, TimeProvider clock)
{
    private const string HubEndpointFallback = "urn:hub";

    public async Task<AcknowledgementRecord> AcknowledgeAsync(
        HubDbContext db, MessageRecord message, AcknowledgementCode code, IReadOnlyList<MedComIssue> issues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        var existing = await db.Acknowledgements.FirstOrDefaultAsync(a => a.MessageId == message.Id, cancellationToken);
        if (existing is not null)
        {
            Resend(db, existing);
            return existing;
        }

        var now = clock.GetUtcNow();
        var built = factory.Create(new AcknowledgementRequest
        {
            RespondsToMessageHeaderId = message.MessageHeaderId,
            From = new OrganizationIdentity(message.ReceiverEan, message.ReceiverSor, message.ReceiverName),
            FromEndpoint = message.DestinationEndpoint ?? HubEndpointFallback,
            To = new OrganizationIdentity(message.SenderEan, message.SenderSor, message.SenderName),
            ToEndpoint = message.SourceEndpoint ?? HubEndpointFallback,
            Code = code,
            Issues = issues,
            CreatedAt = now,
        });
        var partner = message.SenderPartnerId is null ? null : partners.FindById(message.SenderPartnerId);
        var record = new AcknowledgementRecord
        {
            Id = Guid.NewGuid(),
            MessageId = message.Id,
            AckMessageHeaderId = built.MessageHeaderId,
            AckBundleId = built.BundleId,
            Code = ToWire(code),
            IssueCode = issues.Count > 0 ? issues[0].Code : null,
            FhirJson = built.FhirJson,
            CreatedAt = now,
            PartnerId = partner?.Id,
            Channel = partner?.Delivery.Type.ToString().ToLowerInvariant() ?? "none",
        };
        db.Acknowledgements.Add(record);
        db.MessageEvents.Add(new MessageEvent
        {
            MessageId = message.Id,
            At = now,
            Kind = "ack-created",
            Detail = record.IssueCode is null ? record.Code : $"{record.Code} {record.IssueCode}",
        });
        QueueDelivery(db, record);
        return record;
    }

    /// <summary>Queues the stored acknowledgement again, unchanged (same Bundle.id, same content): the answer to a resend.</summary>
    public void Resend(HubDbContext db, AcknowledgementRecord acknowledgement)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(acknowledgement);
        db.MessageEvents.Add(new MessageEvent { MessageId = acknowledgement.MessageId, At = clock.GetUtcNow(), Kind = "ack-resent", Detail = acknowledgement.Code });
        QueueDelivery(db, acknowledgement);
    }

    public static string ToWire(AcknowledgementCode code) => code switch
    {
        AcknowledgementCode.Ok => "ok",
        AcknowledgementCode.TransientError => "transient-error",
        AcknowledgementCode.FatalError => "fatal-error",
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };

    private void QueueDelivery(HubDbContext db, AcknowledgementRecord record) =>
        db.Enqueue(QueueNames.Outbound, new DeliverAcknowledgement
        {
            DeliveryId = Guid.NewGuid(),
            AcknowledgementId = record.Id,
            MessageId = record.MessageId,
            PartnerId = record.PartnerId,
        }, clock.GetUtcNow());
}

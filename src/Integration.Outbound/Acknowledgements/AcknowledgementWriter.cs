using Integration.Contracts;
using Integration.Fhir;
using Integration.Ids;
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
public sealed class AcknowledgementWriter(IAcknowledgementFactory factory, IPartnerRegistry partners, ReadAhead readAhead, TimeProvider clock)
{
    private const string HubEndpointFallback = "urn:hub";

    public async Task<AcknowledgementRecord> AcknowledgeAsync(
        HubDbContext db, MessageRecord message, AcknowledgementCode code, IReadOnlyList<MedComIssue> issues, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        var existing = await db.Acknowledgements.FirstOrDefaultAsync(a => a.MessageId == message.Id, cancellationToken);
        return await AcknowledgeAsync(db, message, existing, code, issues, cancellationToken);
    }

    /// <param name="existing">The message's acknowledgement as the caller has just read it (tracked), null when it has
    /// none: a caller that read the acknowledgements of many messages at once saves a lookup per message.</param>
    public async Task<AcknowledgementRecord> AcknowledgeAsync(
        HubDbContext db, MessageRecord message, AcknowledgementRecord? existing, AcknowledgementCode code, IReadOnlyList<MedComIssue> issues,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        if (existing is not null)
        {
            if (!await RetriedSinceAsync(db, message.Id, existing.CreatedAt, cancellationToken))
            {
                Resend(db, existing);
            }
            else if (existing.Code != ToWire(code))
            {
                Supersede(db, message, existing, code, issues);
            }

            // Retried and answered the same way again: the sender has that answer already.
            return existing;
        }

        var now = clock.GetUtcNow();
        var record = new AcknowledgementRecord
        {
            Id = TimeOrderedId.New(),
            MessageId = message.Id,
            AckMessageHeaderId = "",
            AckBundleId = "",
            Code = "",
            FhirJson = "",
        };
        Fill(record, message, code, issues, now);
        db.Acknowledgements.Add(record);
        db.AddEvent(new MessageEvent
        {
            MessageId = message.Id,
            At = now,
            Kind = "ack-created",
            Detail = Describe(record),
        });
        QueueDelivery(db, record);
        return record;
    }

    /// <summary>An operator retried the message (event "retry") after this acknowledgement was created.</summary>
    private static Task<bool> RetriedSinceAsync(HubDbContext db, Guid messageId, DateTimeOffset acknowledgedAt, CancellationToken cancellationToken) =>
        db.MessageEvents.AnyAsync(e => e.MessageId == messageId && e.Kind == RetryEventKind && e.At >= acknowledgedAt, cancellationToken);

    /// <summary>The message event an operator's retry records; an answer after it may replace the answer before it.</summary>
    public const string RetryEventKind = "retry";

    /// <summary>
    /// A retried message is answered differently than before (e.g. ok after fatal-error): the sender gets a new
    /// acknowledgement (new ids) and it replaces the stored one, so a later resend is answered with the current answer.
    /// See docs/adr/0007-repair.md.
    /// </summary>
    private void Supersede(HubDbContext db, MessageRecord message, AcknowledgementRecord existing, AcknowledgementCode code, IReadOnlyList<MedComIssue> issues)
    {
        var now = clock.GetUtcNow();
        var before = $"{Describe(existing)} ({existing.AckMessageHeaderId})";
        Fill(existing, message, code, issues, now);
        existing.DeliveredAt = null;
        existing.DeliveryAttempts = 0;
        existing.LastDeliveryError = null;
        db.AddEvent(new MessageEvent
        {
            MessageId = message.Id,
            At = now,
            Kind = "ack-superseded",
            Detail = $"{Describe(existing)} ({existing.AckMessageHeaderId}) replaces {before}",
        });
        QueueDelivery(db, existing);
    }

    private static string Describe(AcknowledgementRecord record) => record.IssueCode is null ? record.Code : $"{record.Code} {record.IssueCode}";

    private void Fill(AcknowledgementRecord record, MessageRecord message, AcknowledgementCode code, IReadOnlyList<MedComIssue> issues, DateTimeOffset now)
    {
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
        record.AckMessageHeaderId = built.MessageHeaderId;
        record.AckBundleId = built.BundleId;
        record.Code = ToWire(code);
        record.IssueCode = issues.Count > 0 ? issues[0].Code : null;
        record.FhirJson = built.FhirJson;
        record.CreatedAt = now;
        record.PartnerId = partner?.Id;
        record.Channel = partner?.Delivery.Type.ToString().ToLowerInvariant() ?? "none";
    }

    /// <summary>Queues the stored acknowledgement again, unchanged (same Bundle.id, same content): the answer to a resend.</summary>
    public void Resend(HubDbContext db, AcknowledgementRecord acknowledgement)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(acknowledgement);
        db.AddEvent(new MessageEvent { MessageId = acknowledgement.MessageId, At = clock.GetUtcNow(), Kind = "ack-resent", Detail = acknowledgement.Code });
        QueueDelivery(db, acknowledgement);
    }

    public static string ToWire(AcknowledgementCode code) => code switch
    {
        AcknowledgementCode.Ok => "ok",
        AcknowledgementCode.TransientError => "transient-error",
        AcknowledgementCode.FatalError => "fatal-error",
        _ => throw new ArgumentOutOfRangeException(nameof(code)),
    };

    private void QueueDelivery(HubDbContext db, AcknowledgementRecord record)
    {
        var command = new DeliverAcknowledgement
        {
            DeliveryId = TimeOrderedId.New(),
            AcknowledgementId = record.Id,
            MessageId = record.MessageId,
            PartnerId = record.PartnerId,
        };
        db.Enqueue(QueueNames.Outbound, command, clock.GetUtcNow());
        // For the delivery in this process after commit (ADR 0013), which would otherwise read it back. An entry of a
        // transaction that rolls back is never taken: its delivery id is new.
        readAhead.Put(command.DeliveryId, record);
    }
}

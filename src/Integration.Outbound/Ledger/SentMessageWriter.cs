using Integration.Contracts;
using Integration.Ids;
using Integration.Messaging;
using Integration.Messaging.Outbox;
using Integration.Persistence;
using Integration.Persistence.Ledger;

namespace Integration.Outbound.Ledger;

/// <summary>What a handler wants the hub to send to a partner and track until the partner acknowledges it.</summary>
public sealed record OutgoingMessage
{
    public required string MessageHeaderId { get; init; }
    public required string BundleId { get; init; }
    public required string MessageType { get; init; }
    public required string ReceiverPartnerId { get; init; }
    public string? OriginPartnerId { get; init; }
    public Guid? SourceMessageId { get; init; }
    public string? CitizenKey { get; init; }
    public required string FhirJson { get; init; }
}

/// <summary>
/// Puts a message in the ACK ledger and queues its first sending, inside the caller's transaction: the message is
/// sent if and only if the caller's state change commits.
/// </summary>
public sealed class SentMessageWriter(LedgerOptions options, TimeProvider clock)
{
    public SentMessage Send(HubDbContext db, OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        var now = clock.GetUtcNow();
        var row = new SentMessage
        {
            Id = TimeOrderedId.New(),
            MessageHeaderId = message.MessageHeaderId,
            MessageType = message.MessageType,
            ReceiverPartnerId = message.ReceiverPartnerId,
            OriginPartnerId = message.OriginPartnerId,
            SourceMessageId = message.SourceMessageId,
            CitizenKey = message.CitizenKey,
            CurrentBundleId = message.BundleId,
            FhirJson = message.FhirJson,
            State = SentMessageState.Sent,
            Sendings = 1,
            CreatedAt = now,
            LastSentAt = now,
            AckDeadline = now + options.AckTimeout,
            UpdatedAt = now,
        };
        row.Events.Add(new SentMessageEvent { At = now, Kind = "sent", Detail = $"Bundle {message.BundleId} to {message.ReceiverPartnerId}" });
        db.SentMessages.Add(row);
        QueueDelivery(db, row, now);
        return row;
    }

    internal static void QueueDelivery(HubDbContext db, SentMessage row, DateTimeOffset now) =>
        db.Enqueue(QueueNames.Outbound, new DeliverSentMessage { DeliveryId = TimeOrderedId.New(), SentMessageId = row.Id, BundleId = row.CurrentBundleId }, now);
}

namespace Integration.Contracts;

/// <summary>
/// ACK ledger → outbound: deliver one sending (Bundle.id) of a message the hub sends and tracks until acknowledged.
/// A command for a sending that has been superseded by a resend is dropped.
/// </summary>
public sealed record DeliverSentMessage
{
    public required Guid DeliveryId { get; init; }
    public required Guid SentMessageId { get; init; }
    public required string BundleId { get; init; }
}

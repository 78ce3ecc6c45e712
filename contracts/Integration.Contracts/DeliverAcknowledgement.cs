namespace Integration.Contracts;

/// <summary>Any handler → outbound: deliver a stored MedCom Acknowledgement to the partner that sent the message.</summary>
public sealed record DeliverAcknowledgement
{
    public required Guid AcknowledgementId { get; init; }
    public required Guid MessageId { get; init; }
    /// <summary>Identifies this delivery: a redelivered command with the same id is not delivered again.</summary>
    public Guid DeliveryId { get; init; }
    /// <summary>Registry id of the partner that receives the ACK; null when the sender is not in the registry.</summary>
    public string? PartnerId { get; init; }
}

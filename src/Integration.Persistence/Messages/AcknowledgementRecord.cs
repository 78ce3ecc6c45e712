namespace Integration.Persistence.Messages;

/// <summary>The MedCom Acknowledgement the hub sent for a message (one per message; resends get the same one again).</summary>
public sealed class AcknowledgementRecord
{
    public Guid Id { get; set; }
    public Guid MessageId { get; set; }
    public required string AckMessageHeaderId { get; set; }
    public required string AckBundleId { get; set; }
    /// <summary>ok, transient-error or fatal-error.</summary>
    public required string Code { get; set; }
    public string? IssueCode { get; set; }
    public required string FhirJson { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? PartnerId { get; set; }
    /// <summary>queue or http; none when the sender is unknown and the ACK cannot be delivered.</summary>
    public string? Channel { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int DeliveryAttempts { get; set; }
    public string? LastDeliveryError { get; set; }
}

namespace Integration.Contracts;

/// <summary>
/// Router → outbound: pass a partner's acknowledgement, unchanged, to the partner whose message the hub relayed
/// (e.g. a GP's ACK of a hospital's CareCommunication goes back to the hospital).
/// </summary>
public sealed record RelayAcknowledgement
{
    public required Guid DeliveryId { get; init; }
    /// <summary>The hub's record of the received acknowledgement.</summary>
    public required Guid AcknowledgementMessageId { get; init; }
    /// <summary>The hub's record of the message the acknowledgement answers (its trace shows the relay).</summary>
    public Guid? AnsweredMessageId { get; init; }
    public required string PartnerId { get; init; }
}

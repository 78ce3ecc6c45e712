namespace Integration.Persistence.Ledger;

/// <summary>MedCom's sender states for a message the hub sends (acknowledgements excepted).</summary>
public enum SentMessageState { Sent, AwaitingAck, Acknowledged, InError, WaitingForRetry }

/// <summary>
/// The ACK ledger: one row per message the hub sends to a partner, kept until the partner's acknowledgement arrives.
/// Every sending uses a new Bundle.id and the same MessageHeader.id (MedCom's resend rule).
/// </summary>
public sealed class SentMessage
{
    public Guid Id { get; set; }
    public required string MessageHeaderId { get; set; }
    public required string MessageType { get; set; }
    /// <summary>Registry id of the partner that must acknowledge the message.</summary>
    public required string ReceiverPartnerId { get; set; }
    /// <summary>Registry id of the partner the message came from when the hub relays it (e.g. a municipal unit); its ACKs are relayed back.</summary>
    public string? OriginPartnerId { get; set; }
    /// <summary>The hub's record of the message that made the hub send this one, for the trace.</summary>
    public Guid? SourceMessageId { get; set; }
    /// <summary>Keyed hash of the citizen's CPR; never the CPR.</summary>
    public string? CitizenKey { get; set; }
    public required string CurrentBundleId { get; set; }
    /// <summary>The message as last sent (FHIR JSON).</summary>
    public required string FhirJson { get; set; }
    public SentMessageState State { get; set; }
    /// <summary>How many times it has been handed to delivery: 1 for the first sending, +1 for each resend.</summary>
    public int Sendings { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSentAt { get; set; }
    /// <summary>When the current sending counts as unanswered and is resent (or put in error).</summary>
    public DateTimeOffset? AckDeadline { get; set; }
    /// <summary>For <see cref="SentMessageState.WaitingForRetry"/>: when the next sending goes out.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    public string? AckCode { get; set; }
    public string? AckIssueCode { get; set; }
    /// <summary>The hub's record of the acknowledgement that settled the message.</summary>
    public Guid? AckMessageId { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency: the sweeper, the delivery and an arriving ACK may touch one row at once.</summary>
    public int Version { get; set; }
    public List<SentMessageEvent> Events { get; } = [];
}

/// <summary>The history of a <see cref="SentMessage"/>: sent, delivered, resent, acknowledged, in error.</summary>
public sealed class SentMessageEvent
{
    public long Id { get; set; }
    public Guid SentMessageId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Kind { get; set; }
    public string? Detail { get; set; }
}

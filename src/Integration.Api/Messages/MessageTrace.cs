namespace Integration.Api.Messages;

/// <summary>The JSON trace of one message (DESIGN.md: GET /api/messages/{id}).</summary>
public sealed record MessageTrace
{
    public required string MessageHeaderId { get; init; }
    public required IReadOnlyList<string> BundleIds { get; init; }
    public required string Type { get; init; }
    public string? EventCode { get; init; }
    public required TraceParty Sender { get; init; }
    public required TraceParty Receiver { get; init; }
    public string? Municipality { get; init; }
    /// <summary>Masked: birth date only.</summary>
    public string? Citizen { get; init; }
    /// <summary>received, routed, processed, failed, parked or discarded.</summary>
    public required string State { get; init; }
    public string? FailureReason { get; init; }
    public int Duplicates { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public TraceAcknowledgement? Acknowledgement { get; init; }
    /// <summary>When the hub sent this message on (e.g. a municipality's CareCommunication): the ACK ledger's view of it.</summary>
    public TraceSending? Sending { get; init; }
    /// <summary>Messages the hub sent because of this one (episode status, admission report), each with its ACK ledger state.</summary>
    public IReadOnlyList<TraceSending> Caused { get; init; } = [];
    /// <summary>For a CareCommunication: the thread it belongs to.</summary>
    public string? ConversationId { get; init; }
    public required IReadOnlyList<TraceStep> History { get; init; }
}

/// <summary>A message the hub sends and tracks until the receiver acknowledges it (MedCom's sender states).</summary>
public sealed record TraceSending
{
    public required Guid Id { get; init; }
    public required string MessageHeaderId { get; init; }
    public required string Type { get; init; }
    public required string Receiver { get; init; }
    /// <summary>sent, awaiting-ack, acknowledged, in-error or waiting-for-retry.</summary>
    public required string State { get; init; }
    public required int Sendings { get; init; }
    public required string CurrentBundleId { get; init; }
    public DateTimeOffset LastSentAt { get; init; }
    public DateTimeOffset? AckDeadline { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
    public string? AckCode { get; init; }
    public string? AckIssueCode { get; init; }
    public string? LastError { get; init; }
    public required IReadOnlyList<TraceStep> History { get; init; }
}

public sealed record TraceParty(string? PartnerId, string? Name, string? Ean, string? Sor);

public sealed record TraceAcknowledgement
{
    /// <summary>ok, transient-error or fatal-error.</summary>
    public required string Code { get; init; }
    public string? IssueCode { get; init; }
    /// <summary>Every MedCom issue detail code the acknowledgement carries, in order.</summary>
    public IReadOnlyList<string> IssueCodes { get; init; } = [];
    public required string MessageHeaderId { get; init; }
    public required string BundleId { get; init; }
    public DateTimeOffset SentAt { get; init; }
    public bool Delivered { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public string? Channel { get; init; }
    public int DeliveryAttempts { get; init; }
    public string? LastDeliveryError { get; init; }
}

public sealed record TraceStep(DateTimeOffset At, string Step, string? Detail);

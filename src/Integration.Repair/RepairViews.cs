namespace Integration.Repair;

/// <summary>Failed or parked messages that failed for one reason.</summary>
public sealed record FailureGroup
{
    /// <summary>state.kind.code, e.g. parked.medcom.MSG_Receiver_Identifier_UNKNOWN; use it in the group's URLs.</summary>
    public required string Key { get; init; }
    /// <summary>The rule id, MedCom issue code or technical failure kind.</summary>
    public required string Reason { get; init; }
    /// <summary>rule, medcom, technical or other.</summary>
    public required string ReasonKind { get; init; }
    /// <summary>failed or parked.</summary>
    public required string State { get; init; }
    public required int Count { get; init; }
    public required DateTimeOffset Oldest { get; init; }
    public required DateTimeOffset Newest { get; init; }
    public required IReadOnlyList<string> MessageTypes { get; init; }
    /// <summary>Municipality codes of the messages (none for a message that never reached a municipality).</summary>
    public required IReadOnlyList<string> Municipalities { get; init; }
}

/// <summary>One failed or parked message in a group. No CPR: the citizen is not shown here at all.</summary>
public sealed record FailedMessage
{
    /// <summary>The hub's record id.</summary>
    public required Guid Id { get; init; }
    public required string MessageHeaderId { get; init; }
    public required string Type { get; init; }
    public string? EventCode { get; init; }
    public required string State { get; init; }
    public required string GroupKey { get; init; }
    /// <summary>The stored failure text (CPR masked when stored).</summary>
    public string? FailureReason { get; init; }
    public string? SenderPartnerId { get; init; }
    public string? SenderName { get; init; }
    public string? ReceiverPartnerId { get; init; }
    public string? ReceiverName { get; init; }
    public string? ReceiverEan { get; init; }
    public string? ReceiverSor { get; init; }
    public string? Municipality { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The acknowledgement the sender got: ok, transient-error or fatal-error; null when none.</summary>
    public string? AcknowledgementCode { get; init; }
}

/// <summary>What a retry does (or, in a dry run, would do) with one message.</summary>
public sealed record RetryPreview
{
    public required Guid MessageId { get; init; }
    public required string MessageHeaderId { get; init; }
    public required string Type { get; init; }
    /// <summary>The state before the retry.</summary>
    public required string State { get; init; }
    public required string GroupKey { get; init; }
    /// <summary>False when the message is not failed or parked (e.g. processed meanwhile): nothing is done.</summary>
    public required bool Retryable { get; init; }
    /// <summary>True when the message was put back on its way (never in a dry run).</summary>
    public required bool Retried { get; init; }
    public required ValidationPreview Validation { get; init; }
    public required RoutePreview Route { get; init; }
    public required AcknowledgementPreview Acknowledgement { get; init; }
    /// <summary>One sentence for the operator.</summary>
    public required string Summary { get; init; }
}

/// <summary>The MedCom rules checked now.</summary>
public sealed record ValidationPreview(bool Valid, IReadOnlyList<string> BrokenRules, int Warnings);

/// <summary>Where the message would go now.</summary>
public sealed record RoutePreview
{
    /// <summary>municipality (the municipality's handlers apply it), relay (passed on to a partner and tracked),
    /// acknowledgement (settles a message the hub sent), parked (no receiver now) or failed (breaks MedCom rules).</summary>
    public required string Outcome { get; init; }
    public string? ReceiverPartnerId { get; init; }
    public string? MunicipalityCode { get; init; }
    public string? Queue { get; init; }
    /// <summary>For parked: the MedCom issue code the routing gives now.</summary>
    public string? IssueCode { get; init; }
    public string? Detail { get; init; }
}

/// <summary>What the sender has heard and would hear.</summary>
public sealed record AcknowledgementPreview
{
    /// <summary>The acknowledgement the sender got: ok, transient-error or fatal-error; null when none (an acknowledgement message).</summary>
    public string? SentCode { get; init; }
    public string? SentIssueCode { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public bool Delivered { get; init; }
    /// <summary>What the sender gets after the retry, if the outcome is the one previewed.</summary>
    public required string AfterRetry { get; init; }
}

/// <summary>The answer to a retry of one message or a group.</summary>
public sealed record RetryResult(bool DryRun, int Retried, IReadOnlyList<RetryPreview> Messages);

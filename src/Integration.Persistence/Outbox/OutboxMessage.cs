namespace Integration.Persistence.Outbox;

/// <summary>A bus message written in the same transaction as the state change that caused it; the dispatcher sends it.
/// A row is deleted once the broker has the message (or an in-process handler has recorded its outcome), so the table
/// holds only what is still to be sent (docs/adr/0024-sent-outbox-rows-deleted.md).</summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Queue name the message is sent to.</summary>
    public required string Destination { get; set; }
    /// <summary>Full name of the contract type.</summary>
    public required string MessageType { get; set; }
    public required string Body { get; set; }
    /// <summary>A dispatcher claims a row until this time so two dispatchers do not send it at once.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

/// <summary>Marks a message as handled by a consumer, in the same transaction as its effects (exactly-once effects).</summary>
public sealed class InboxEntry
{
    public required string Consumer { get; set; }
    public required string SenderKey { get; set; }
    public required string MessageHeaderId { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}

namespace Integration.Persistence.Conversations;

/// <summary>
/// A CareCommunication thread (korrespondance) as one municipality sees it: every new, reply and forward that shares
/// the thread id, in either direction.
/// </summary>
public sealed class Conversation
{
    public Guid Id { get; set; }
    public required string MunicipalityCode { get; set; }
    /// <summary>The thread id the messages carry (kept across replies and forwards).</summary>
    public required string ThreadId { get; set; }
    public required string CitizenKey { get; set; }
    /// <summary>Category of the message that started the thread (e.g. training, discharge, regarding-referral).</summary>
    public required string Category { get; set; }
    public string? Topic { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastMessageAt { get; set; }
    public List<ConversationMessage> Messages { get; } = [];
}

public sealed class ConversationMessage
{
    public long Id { get; set; }
    public Guid ConversationId { get; set; }
    /// <summary>The hub's record of the message.</summary>
    public Guid MessageId { get; set; }
    public required string MessageHeaderId { get; set; }
    /// <summary>incoming (to the municipality) or outgoing (from it).</summary>
    public required string Direction { get; set; }
    /// <summary>new, reply or forward.</summary>
    public required string Activity { get; set; }
    /// <summary>Category as this message carries it (a reply may carry another one).</summary>
    public required string Category { get; set; }
    public string? Topic { get; set; }
    public required string CounterpartPartnerId { get; set; }
    public DateTimeOffset SentAt { get; set; }
    /// <summary>MessageHeader ids this one answers or forwards, comma-separated.</summary>
    public string? PreviousMessageHeaderIds { get; set; }
}

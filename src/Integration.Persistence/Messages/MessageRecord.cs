namespace Integration.Persistence.Messages;

/// <summary>Discarded: an operator decided a failed or parked message is not to be processed (the reason is in the audit).</summary>
public enum MessageState { Received, Routed, Processed, Failed, Parked, Discarded }

/// <summary>
/// One message, identified by (sender, MessageHeader.id). Each sending of it (Bundle.id) is a <see cref="BundleReception"/>;
/// the raw bodies are <see cref="RawMessage"/>s; what happened to it is its <see cref="MessageEvent"/> history.
/// </summary>
public sealed class MessageRecord
{
    public Guid Id { get; set; }
    public required string SenderKey { get; set; }
    public required string MessageHeaderId { get; set; }
    /// <summary>Bundle.id of the first sending.</summary>
    public required string BundleId { get; set; }
    public required string MessageType { get; set; }
    /// <summary>Business event, e.g. STIN or RE_SLHJ; set once the message has been read.</summary>
    public string? EventCode { get; set; }
    public string? SenderPartnerId { get; set; }
    public string? SenderName { get; set; }
    public string? ReceiverKey { get; set; }
    public string? ReceiverPartnerId { get; set; }
    public string? MunicipalityCode { get; set; }
    /// <summary>Keyed hash of the CPR; never the CPR itself.</summary>
    public required string CitizenKey { get; set; }
    public MessageState State { get; set; }
    public string? FailureReason { get; set; }
    public int DuplicateCount { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>
    /// The message as FHIR JSON (the raw body as received is kept separately). In the same row, but read only when a
    /// query asks for it (<c>Include(m => m.Body)</c>): most steps need only the facts above, and the body is most of
    /// the row's bytes.
    /// </summary>
    public MessageBody Body { get; set; } = null!;
    public string? SourceEndpoint { get; set; }
    public string? DestinationEndpoint { get; set; }
    public string? SenderEan { get; set; }
    public string? SenderSor { get; set; }
    public string? ReceiverEan { get; set; }
    public string? ReceiverSor { get; set; }
    public string? ReceiverName { get; set; }

    public List<MessageEvent> Events { get; set; } = [];

    /// <summary>
    /// A copy of the row's own columns as they are now, without its body and history: what another unit of work attaches
    /// (as unchanged) to update the row without reading it back. Only the columns that unit then changes are written.
    /// </summary>
    public MessageRecord CopyOfColumns()
    {
        var copy = (MessageRecord)MemberwiseClone();
        copy.Body = null!;
        copy.Events = [];
        return copy;
    }
}

/// <summary>A message's FHIR JSON: the <c>FhirJson</c> column of its <see cref="MessageRecord"/>'s row (table splitting).</summary>
public sealed class MessageBody
{
    /// <summary>The <see cref="MessageRecord"/>'s id.</summary>
    public Guid Id { get; set; }
    public required string FhirJson { get; set; }
}

/// <summary>One step in a message's history: received, duplicate, routed, processed, ack-created, ack-delivered, ...</summary>
public sealed class MessageEvent
{
    public long Id { get; set; }
    public Guid MessageId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Kind { get; set; }
    public string? Detail { get; set; }
}

/// <summary>One sending (envelope) of a message: MedCom's Bundle.id, new on every send.</summary>
public sealed class BundleReception
{
    public required string SenderKey { get; set; }
    public required string BundleId { get; set; }
    public Guid MessageId { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

/// <summary>A body exactly as received (for replay and audit), including bodies that were rejected.</summary>
public sealed class RawMessage
{
    public Guid Id { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public required string ContentType { get; set; }
    /// <summary>
    /// The bytes as received; null when they are, byte for byte, the UTF-8 of the message's <see cref="MessageBody.FhirJson"/>
    /// (a JSON body without a byte order mark), which then holds them: a body of ~15 KB is stored once, not twice.
    /// </summary>
    public required byte[]? Body { get; set; }
    /// <summary>accepted, duplicate or rejected.</summary>
    public required string Outcome { get; set; }
    public Guid? MessageId { get; set; }
    public string? RejectionReason { get; set; }
}

namespace Integration.Contracts;

/// <summary>
/// Ingress → router: a message that was stored and must be routed to its receiver. Bus commands name the stored
/// message rather than carry its FHIR body: every consumer loads the message record anyway, and a 15 KB body on each hop
/// cost serialising, broker traffic and a compressed copy in the outbox.
/// </summary>
public sealed record RouteMessage
{
    /// <summary>The hub's record id of the message (trace key inside the hub).</summary>
    public required Guid MessageId { get; init; }
    public required string SenderKey { get; init; }
    public required string MessageHeaderId { get; init; }
    public required string BundleId { get; init; }
    /// <summary>MessageHeader.eventCoding.code, e.g. hospital-notification-message.</summary>
    public required string MessageType { get; init; }
    public string? SenderEan { get; init; }
    public string? SenderSor { get; init; }
    /// <summary>The primary receiver as MessageHeader.destination names it.</summary>
    public string? ReceiverEan { get; init; }
    public string? ReceiverSor { get; init; }
    /// <summary>Keyed hash of the citizen's CPR (never the CPR): orders messages about one citizen.</summary>
    public required string CitizenKey { get; init; }
}

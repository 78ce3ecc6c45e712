using System.Text.Json.Serialization;

namespace Integration.Partners;

[JsonConverter(typeof(JsonStringEnumConverter<PartnerKind>))]
public enum PartnerKind { Hospital, Municipality, GeneralPractice, System }

[JsonConverter(typeof(JsonStringEnumConverter<DeliveryChannelType>))]
public enum DeliveryChannelType { Queue, Http }

/// <summary>How the hub delivers messages (ACKs, status) to a partner: its own queue, or HTTP POST to its endpoint.</summary>
public sealed record DeliveryChannel
{
    public required DeliveryChannelType Type { get; init; }
    /// <summary>For HTTP: where FHIR messages are POSTed.</summary>
    public Uri? Endpoint { get; init; }
    /// <summary>For Queue: the queue name; defaults to <c>partner.{id}</c>.</summary>
    public string? Queue { get; init; }
}

/// <summary>An organisation in the partner registry.</summary>
public sealed record Partner
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required PartnerKind Kind { get; init; }
    public string? Ean { get; init; }
    public string? Sor { get; init; }
    /// <summary>Three-digit kommunekode for municipal units (e.g. 163 Herlev); null for others.</summary>
    public string? MunicipalityCode { get; init; }
    public DeliveryChannel Delivery { get; init; } = new() { Type = DeliveryChannelType.Queue };
    /// <summary>SHA-256 (hex) of the API key the partner's system calls the hub's read APIs with; the key itself is never stored.</summary>
    public string? ApiKeySha256 { get; init; }

    public string DeliveryQueue => Delivery.Queue ?? $"partner.{Id}";
}

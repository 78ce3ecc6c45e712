using System.Text.Json.Serialization;

namespace Integration.Contracts;

/// <summary>Whether a CareCommunication comes to the municipality or goes from it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CareCommunicationDirection>))]
public enum CareCommunicationDirection { Incoming, Outgoing }

/// <summary>
/// Router → the municipality's queue <c>municipality.{code}</c>: a CareCommunication (korrespondancemeddelelse) to keep
/// in its conversation. Incoming ones (hospital or GP → municipality) are acknowledged by the hub for the municipality;
/// outgoing ones (municipality → hospital or GP) are sent on and tracked until the receiver acknowledges them.
/// </summary>
public sealed record ApplyCareCommunication
{
    public required Guid MessageId { get; init; }
    public required CareCommunicationDirection Direction { get; init; }
    public required string MunicipalityCode { get; init; }
    /// <summary>Registry id of the municipal unit that receives (incoming) or sends (outgoing) the message.</summary>
    public required string MunicipalPartnerId { get; init; }
    /// <summary>Registry id of the hospital or GP on the other side.</summary>
    public required string CounterpartPartnerId { get; init; }
    public required string SenderKey { get; init; }
    public required string MessageHeaderId { get; init; }
    public required string CitizenKey { get; init; }
}

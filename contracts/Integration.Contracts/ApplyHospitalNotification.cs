namespace Integration.Contracts;

/// <summary>Router → the receiving municipality's queue: apply a HospitalNotification to the citizen's hospital stay.</summary>
public sealed record ApplyHospitalNotification
{
    public required Guid MessageId { get; init; }
    public required string MunicipalityCode { get; init; }
    /// <summary>Partner id of the addressed receiver (a unit of the municipality) in the partner registry.</summary>
    public required string ReceiverPartnerId { get; init; }
    public required string SenderPartnerId { get; init; }
    public required string SenderKey { get; init; }
    public required string MessageHeaderId { get; init; }
    public required string CitizenKey { get; init; }
}

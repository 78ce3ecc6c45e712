namespace Integration.Contracts;

/// <summary>
/// Outbound → a partner's own queue <c>partner.{partnerId}</c>: a FHIR message for a partner whose delivery channel
/// is a queue rather than an HTTP endpoint.
/// </summary>
public sealed record PartnerMessage
{
    public required string PartnerId { get; init; }
    public required string MessageHeaderId { get; init; }
    public required string BundleId { get; init; }
    public required string MessageType { get; init; }
    public required string ContentType { get; init; }
    public required string FhirJson { get; init; }
}

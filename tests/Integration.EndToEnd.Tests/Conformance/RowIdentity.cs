using Integration.Fhir;

namespace Integration.EndToEnd.Tests.Conformance;

/// <summary>
/// The ids of a row's message as MedCom defines its identity, read on the test side to find its trace before posting and
/// to decide which rows must go one after another. null for a body that is not a parseable message (a 400 row).
/// </summary>
public sealed record RowIdentity(string MessageHeaderId, string BundleId, string SenderKey, string? SenderEan, string? SenderSor, string MessageType, string? RespondsTo)
{
    public static RowIdentity? Of(byte[] body, string contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        var format = contentType.EndsWith("xml", StringComparison.Ordinal) ? FhirFormat.Xml : FhirFormat.Json;
        var envelope = FhirServices.Parser.Parse(body, format).Message?.Envelope;
        return envelope is null
            ? null
            : new RowIdentity(envelope.MessageHeaderId, envelope.BundleId, SenderKeyOf(envelope.Sender), envelope.Sender.Ean, envelope.Sender.Sor,
                envelope.MessageType, envelope.ResponseToMessageHeaderId);
    }

    /// <summary>
    /// What makes two rows depend on each other's order: the same MessageHeader.id (duplicates; and the trace shows only the
    /// latest of two senders' messages with one id), the same sender's Bundle.id, an ACK and the message it answers, and
    /// the type for HospitalNotifications (one citizen's stay) and CareCommunications (conversations), which MedCom's
    /// tests send one by one.
    /// </summary>
    public IEnumerable<string> OrderingKeys()
    {
        yield return $"header:{MessageHeaderId}";
        yield return $"bundle:{SenderKey}:{BundleId}";
        if (RespondsTo is not null)
        {
            yield return $"header:{RespondsTo}";
        }

        if (MessageType is "hospital-notification-message" or "care-communication-message")
        {
            yield return $"type:{MessageType}";
        }
    }

    /// <summary>As the hub keys senders: EAN (location number) first, SOR otherwise.</summary>
    private static string SenderKeyOf(OrganizationIdentity sender) =>
        sender.Ean is { Length: > 0 } ean ? $"ean:{ean}" : sender.Sor is { Length: > 0 } sor ? $"sor:{sor}" : "unknown";
}

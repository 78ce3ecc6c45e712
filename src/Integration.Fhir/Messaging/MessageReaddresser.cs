using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Integration.Fhir.Parsing;

namespace Integration.Fhir.Messaging;

/// <summary>
/// Makes a replay: MessageHeader.id (and its fullUrl and the Provenance targets that point at it) and Bundle.id are
/// replaced, the timestamp is the replay's, and the first destination names the chosen receiver: its Organization's SOR
/// and EAN identifiers and name, and its endpoint when it has one. Everything else is the message as processed.
/// </summary>
internal sealed class MessageReaddresser(SafeFhirDeserializer deserializer) : IMessageReaddresser
{
    public ReaddressResult Readdress(string fhirJson, ReplayAddress address)
    {
        ArgumentNullException.ThrowIfNull(fhirJson);
        ArgumentNullException.ThrowIfNull(address);
        if (!deserializer.TryDeserialize(Encoding.UTF8.GetBytes(fhirJson), FhirFormat.Json, out var resource, out var failure))
        {
            return new ReaddressResult(null, failure.Reason);
        }

        if (resource is not Bundle { Type: Bundle.BundleType.Message } bundle || bundle.Entry.Count == 0
            || bundle.Entry[0].Resource is not MessageHeader header)
        {
            return new ReaddressResult(null, "The stored message is not a message Bundle with a MessageHeader first.");
        }

        if (header.Destination.Count == 0 || MessageBundle.Resolve<Organization>(bundle, header.Destination[0].Receiver) is not { } receiver)
        {
            return new ReaddressResult(null, "The stored message names no receiver Organization in MessageHeader.destination.");
        }

        var oldFullUrl = bundle.Entry[0].FullUrl;
        var oldReference = $"MessageHeader/{header.Id}";
        if (!string.IsNullOrEmpty(header.Id) && oldFullUrl?.Contains(header.Id, StringComparison.Ordinal) == true)
        {
            bundle.Entry[0].FullUrl = oldFullUrl.Replace(header.Id, address.NewMessageHeaderId, StringComparison.Ordinal);
        }

        header.Id = address.NewMessageHeaderId;
        foreach (var provenance in bundle.Entry.Select(e => e.Resource).OfType<Provenance>())
        {
            foreach (var target in provenance.Target.Where(t => t.Reference == oldFullUrl || t.Reference == oldReference))
            {
                target.Reference = bundle.Entry[0].FullUrl ?? $"MessageHeader/{address.NewMessageHeaderId}";
            }
        }

        Readdress(receiver, address.Receiver);
        if (address.ReceiverEndpoint is { Length: > 0 } endpoint)
        {
            header.Destination[0].Endpoint = endpoint;
        }

        bundle.Id = address.NewBundleId;
        bundle.Timestamp = address.SentAt;
        return new ReaddressResult(FhirJsonSerializer.Default.SerializeToString(bundle), null);
    }

    private static void Readdress(Organization organization, OrganizationIdentity receiver)
    {
        organization.Identifier.RemoveAll(i => i.System is MedComUrls.SorSystem or MedComUrls.GlnSystem or MedComUrls.GlnSystemHttp);
        if (receiver.Sor is { Length: > 0 } sor)
        {
            organization.Identifier.Add(new Identifier(MedComUrls.SorSystem, sor));
        }

        if (receiver.Ean is { Length: > 0 } ean)
        {
            organization.Identifier.Add(new Identifier(MedComUrls.GlnSystem, ean));
        }

        organization.Name = receiver.Name ?? organization.Name;
    }
}

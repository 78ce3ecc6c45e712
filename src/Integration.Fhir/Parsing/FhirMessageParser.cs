using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;
using Integration.Fhir.Messaging;

namespace Integration.Fhir.Parsing;

/// <summary>Parses a MedCom message Bundle and reads its routing facts. Structural rules only (Bundle of type
/// message, MessageHeader first, ids present); MedCom profile rules are the readers' and routers' business.</summary>
internal sealed class FhirMessageParser(SafeFhirDeserializer deserializer) : IFhirMessageParser
{
    public ParseResult Parse(ReadOnlySpan<byte> body, FhirFormat format)
    {
        try
        {
            return ParseCore(body, format);
        }
#pragma warning disable CA1031 // The contract is "fail, never throw".
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Fail($"The message could not be read ({ex.GetType().Name}).", null);
        }
    }

    private ParseResult ParseCore(ReadOnlySpan<byte> body, FhirFormat format)
    {
        if (!deserializer.TryDeserialize(body, format, out var resource, out var failure))
        {
            return new ParseResult(null, failure);
        }

        if (resource is not Bundle bundle)
        {
            return Fail($"The body is a {resource.TypeName}, not a Bundle.", "resourceType");
        }

        if (bundle.Type != Bundle.BundleType.Message)
        {
            var actual = bundle.Type is { } type ? $"'{type.GetLiteral()}'" : "missing";
            return Fail($"Bundle.type is {actual}; a message must have type 'message'.", "Bundle.type");
        }

        if (string.IsNullOrWhiteSpace(bundle.Id))
        {
            return Fail("Bundle.id is missing.", "Bundle.id");
        }

        if (bundle.Entry.Count == 0 || bundle.Entry[0].Resource is not MessageHeader header)
        {
            var found = bundle.Entry.Count == 0 ? "no entries" : $"a {bundle.Entry[0].Resource?.TypeName ?? "empty entry"}";
            return Fail($"The first entry of a message must be a MessageHeader; found {found}.", "Bundle.entry[0].resource");
        }

        if (string.IsNullOrWhiteSpace(header.Id))
        {
            return Fail("MessageHeader.id is missing.", "Bundle.entry[0].resource.id");
        }

        var messageType = header.Event switch
        {
            Coding { Code: { Length: > 0 } code } => code,
            FhirUri { Value: { Length: > 0 } uri } => uri,
            _ => null,
        };
        if (messageType is null)
        {
            return Fail("MessageHeader.eventCoding.code is missing.", "Bundle.entry[0].resource.eventCoding");
        }

        var destinations = SelectDestinations(header);
        var envelope = new MessageEnvelope
        {
            BundleId = bundle.Id,
            MessageHeaderId = header.Id,
            MessageType = messageType,
            Sender = IdentityOf(bundle, header.Sender),
            Receivers = [.. destinations.Select(d => IdentityOf(bundle, d.Receiver))],
            SourceEndpoint = NullIfBlank(header.Source?.Endpoint),
            DestinationEndpoint = NullIfBlank(destinations.FirstOrDefault()?.Endpoint),
            CitizenCpr = CprOf(bundle),
            Timestamp = bundle.Timestamp,
            ResponseToMessageHeaderId = NullIfBlank(header.Response?.Identifier),
            ResponseCode = header.Response?.Code?.GetLiteral(),
        };

        // JSON is passed on as received (lossless; it has just been validated). XML is converted.
        var json = format == FhirFormat.Json
            ? Encoding.UTF8.GetString(SafeFhirDeserializer.StripUtf8Bom(body))
            : FhirJsonSerializer.Default.SerializeToString(bundle);
        return new ParseResult(new ParsedMessage(envelope, json) { Bundle = bundle }, null);
    }

    /// <summary>Destinations marked primary by MedCom's destinationUse extension, or all when none is marked.</summary>
    private static List<MessageHeader.MessageDestinationComponent> SelectDestinations(MessageHeader header)
    {
        var primary = header.Destination.Where(IsPrimary).ToList();
        return primary.Count > 0 ? primary : header.Destination;
    }

    private static bool IsPrimary(MessageHeader.MessageDestinationComponent destination) =>
        MessageBundle.FindExtension(destination.Extension, MedComUrls.DestinationUseExtension)?.Value is Coding
        {
            Code: MedComUrls.PrimaryDestination,
        };

    // An unresolvable sender or receiver yields an identity without identifiers: the router answers it with
    // MSG_Receiver_Identifier_MISSING rather than the parser rejecting the message outright.
    private static OrganizationIdentity IdentityOf(Bundle bundle, ResourceReference? reference) =>
        MessageBundle.Identity(MessageBundle.Resolve<Organization>(bundle, reference))
        ?? new OrganizationIdentity(null, null, null);

    private static string? CprOf(Bundle bundle)
    {
        var patient = bundle.Entry.Select(e => e.Resource).OfType<Patient>().FirstOrDefault();
        return patient is null ? null : MessageBundle.IdentifierValue(patient.Identifier, MedComUrls.CprSystem);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static ParseResult Fail(string reason, string? location) => new(null, new ParseFailure(reason, location));
}

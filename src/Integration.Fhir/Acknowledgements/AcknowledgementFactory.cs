using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Integration.Fhir.Messaging;
using Integration.Ids;
using static Integration.Fhir.Acknowledgements.Narratives;

namespace Integration.Fhir.Acknowledgements;

/// <summary>Builds MedCom Acknowledgement 2.0.3 messages shaped like MedCom's examples
/// (Bundle-a8c041b8… for ok, Bundle-bc9535ef… for fatal-error).</summary>
/// <remarks>The JSON is written here directly, as Firely would serialize the same Bundle (element order, escaping,
/// date formats): every message the hub takes in is answered by one, and building Firely's object model for it and
/// serializing that cost several times as much (docs/adr/0025-acknowledgements-written-as-json.md). The tests hold
/// each shape to Firely reading and writing it back unchanged.</remarks>
internal sealed class AcknowledgementFactory : IAcknowledgementFactory
{
    // The encoder Firely's serializer writes with, so the text is the same as Firely's: markup in narratives stays as
    // it is ('<', '"'), characters outside the BMP are written as \u escapes.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    // A buffer per thread, reused; one that grew for an unusually long acknowledgement (many issues) is not kept.
    private const int MaxKeptBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    public BuiltAcknowledgement Create(AcknowledgementRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);

        var ids = new Ids(NewId(), NewId(), NewId(), NewId(), NewId(), request.Code == AcknowledgementCode.Ok ? null : NewId());
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(8192);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteBundle(writer, request, ids);
        }

        var json = Encoding.UTF8.GetString(buffer.WrittenSpan);
        if (buffer.Capacity > MaxKeptBufferBytes)
        {
            t_buffer = null;
        }

        return new BuiltAcknowledgement(ids.Bundle, ids.Header, json);
    }

    private static void Validate(AcknowledgementRequest request)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(request.RespondsToMessageHeaderId);
        ArgumentNullException.ThrowIfNull(request.From);
        ArgumentNullException.ThrowIfNull(request.To);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.FromEndpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ToEndpoint);
        ArgumentNullException.ThrowIfNull(request.Issues);
        if (request.Code != AcknowledgementCode.Ok && request.Issues.Count == 0)
        {
            throw new ArgumentException("An acknowledgement other than ok must carry at least one issue.", nameof(request));
        }

        foreach (var issue in request.Issues)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(issue.Code, nameof(request));
        }
    }

    private sealed record Ids(string Bundle, string Header, string Provenance, string Sender, string Receiver, string? Outcome);

    private static void WriteBundle(Utf8JsonWriter json, AcknowledgementRequest request, Ids ids)
    {
        json.WriteStartObject();
        json.WriteString("resourceType", "Bundle");
        json.WriteString("id", ids.Bundle);
        WriteMeta(json, MedComUrls.AcknowledgementBundleProfile);
        json.WriteString("type", "message");
        json.WriteString("timestamp", Instant(request.CreatedAt));
        json.WriteStartArray("entry");
        // Entry order as in MedCom's examples: header, provenance, organisations, then the OperationOutcome.
        StartEntry(json, "MessageHeader", ids.Header);
        WriteHeader(json, request, ids);
        EndEntry(json);
        StartEntry(json, "Provenance", ids.Provenance);
        WriteProvenance(json, request, ids);
        EndEntry(json);
        StartEntry(json, "Organization", ids.Sender);
        WriteOrganization(json, request.From);
        EndEntry(json);
        StartEntry(json, "Organization", ids.Receiver);
        WriteOrganization(json, request.To);
        EndEntry(json);
        if (ids.Outcome is { } outcome)
        {
            StartEntry(json, "OperationOutcome", outcome);
            WriteOperationOutcome(json, request.Issues);
            EndEntry(json);
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>An entry's fullUrl, then its resource's type and id; the resource's elements follow.</summary>
    private static void StartEntry(Utf8JsonWriter json, string type, string id)
    {
        json.WriteStartObject();
        json.WriteString("fullUrl", $"{MedComUrls.AcknowledgementFullUrlBase}{type}/{id}");
        json.WriteStartObject("resource");
        json.WriteString("resourceType", type);
        json.WriteString("id", id);
    }

    private static void EndEntry(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteHeader(Utf8JsonWriter json, AcknowledgementRequest request, Ids ids)
    {
        WriteMeta(json, MedComUrls.AcknowledgementHeaderProfile);
        WriteNarrative(json, HeaderNarrative(request));
        json.WriteStartObject("eventCoding");
        WriteCoding(json, MedComUrls.EventCodes, MedComUrls.AcknowledgementEvent);
        json.WriteEndObject();
        json.WriteStartArray("destination");
        json.WriteStartObject();
        json.WriteStartArray("extension");
        json.WriteStartObject();
        json.WriteString("url", MedComUrls.DestinationUseExtension);
        json.WriteStartObject("valueCoding");
        WriteCoding(json, MedComUrls.DestinationUseCodes, MedComUrls.PrimaryDestination);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteString("endpoint", request.ToEndpoint);
        WriteReference(json, "receiver", "Organization", ids.Receiver);
        json.WriteEndObject();
        json.WriteEndArray();
        WriteReference(json, "sender", "Organization", ids.Sender);
        json.WriteStartObject("source");
        json.WriteString("endpoint", request.FromEndpoint);
        json.WriteEndObject();
        json.WriteStartObject("response");
        json.WriteString("identifier", request.RespondsToMessageHeaderId);
        json.WriteString("code", request.Code switch
        {
            AcknowledgementCode.Ok => "ok",
            AcknowledgementCode.TransientError => "transient-error",
            _ => "fatal-error",
        });
        if (ids.Outcome is { } outcome)
        {
            WriteReference(json, "details", "OperationOutcome", outcome);
        }

        json.WriteEndObject();
    }

    /// <summary>The Provenance of the acknowledgement itself. agent.who is the acknowledging organisation (the
    /// profile: "the messaging organization performing the activity"); MedCom's example names the other one,
    /// which contradicts that rule.</summary>
    private static void WriteProvenance(Utf8JsonWriter json, AcknowledgementRequest request, Ids ids)
    {
        WriteMeta(json, MedComUrls.MessagingProvenanceProfile);
        WriteNarrative(json, ProvenanceNarrative(request));
        json.WriteStartArray("target");
        json.WriteStartObject();
        json.WriteString("reference", $"MessageHeader/{ids.Header}");
        json.WriteEndObject();
        json.WriteEndArray();
        var at = Instant(request.CreatedAt);
        json.WriteString("occurredDateTime", at);
        json.WriteString("recorded", at);
        json.WriteStartObject("activity");
        json.WriteStartArray("coding");
        json.WriteStartObject();
        WriteCoding(json, MedComUrls.ActivityCodes, MedComUrls.AcknowledgementActivity);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteStartArray("agent");
        json.WriteStartObject();
        WriteReference(json, "who", "Organization", ids.Sender);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartArray("entity");
        json.WriteStartObject();
        json.WriteString("role", "revision");
        json.WriteStartObject("what");
        json.WriteString("reference", $"MessageHeader/{request.RespondsToMessageHeaderId}");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
    }

    /// <summary>Identifiers that are unknown are left out: a message whose receiver cannot be identified is still
    /// answered (with MSG_Receiver_Identifier_MISSING). FHIR's org-1 rule (an identifier or a name) is kept with a
    /// placeholder name in that case.</summary>
    private static void WriteOrganization(Utf8JsonWriter json, OrganizationIdentity identity)
    {
        WriteMeta(json, MedComUrls.MessagingOrganizationProfile);
        WriteNarrative(json, OrganizationNarrative(identity));
        // An empty or blank identifier is no identifier (FHIR allows no empty strings).
        var identified = !string.IsNullOrWhiteSpace(identity.Ean) || !string.IsNullOrWhiteSpace(identity.Sor);
        if (identified)
        {
            json.WriteStartArray("identifier");
            WriteIdentifier(json, MedComUrls.GlnSystem, identity.Ean);
            WriteIdentifier(json, MedComUrls.SorSystem, identity.Sor);
            json.WriteEndArray();
        }

        var name = !string.IsNullOrWhiteSpace(identity.Name) ? identity.Name
            : identified ? null
            : "Unidentified organisation";
        if (name is not null)
        {
            json.WriteString("name", name);
        }
    }

    private static void WriteIdentifier(Utf8JsonWriter json, string system, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        json.WriteStartObject();
        json.WriteString("system", system);
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    private static void WriteOperationOutcome(Utf8JsonWriter json, IReadOnlyList<MedComIssue> issues)
    {
        WriteMeta(json, MedComUrls.AcknowledgementOperationOutcomeProfile);
        WriteNarrative(json, OperationOutcomeNarrative(issues));
        json.WriteStartArray("issue");
        foreach (var issue in issues)
        {
            json.WriteStartObject();
            json.WriteString("severity", "error");
            json.WriteString("code", IssueTypeFor(issue.Code));
            json.WriteStartObject("details");
            json.WriteStartArray("coding");
            json.WriteStartObject();
            WriteCoding(json, CodeSystemFor(issue.Code), issue.Code);
            json.WriteEndObject();
            json.WriteEndArray();
            if (!string.IsNullOrWhiteSpace(issue.Text))
            {
                json.WriteString("text", issue.Text);
            }

            json.WriteEndObject();
            // The broken rule's name (e.g. hub-ean-check-digit, medcom-careCommunication-6): with the code and the
            // path the sender can find the rule in MedCom's profiles or the hub's documentation.
            if (!string.IsNullOrWhiteSpace(issue.Rule))
            {
                json.WriteString("diagnostics", issue.Rule);
            }

            if (!string.IsNullOrWhiteSpace(issue.Path))
            {
                json.WriteStartArray("expression");
                json.WriteStringValue(issue.Path);
                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>Issue types as in MedCom's examples: structure for MSG_VALUESET_VALUE_UNKNOWN (Bundle-bc9535ef…),
    /// value for MSG_Mailbox_Out_Of_Operation (Ack test example 3.3.3.6); the others by analogy.</summary>
    private static string IssueTypeFor(string code) => code switch
    {
        MedComIssueCodes.ValueSetValueUnknown or MedComIssueCodes.CodeSystemValueUnknown
            or MedComIssueCodes.DatatypeWrong or MedComIssueCodes.DamagedDuringTransport
            => "structure",
        MedComIssueCodes.ReceiverIdentifierUnknown or MedComIssueCodes.ReceiverIdentifierMissing
            or MedComIssueCodes.ReceiverUnableToReceiveMessageType or MedComIssueCodes.ElementTooLong
            or MedComIssueCodes.MailboxOutOfOperation
            => "value",
        _ => "invalid",
    };

    /// <summary>MedCom's issue-details ValueSet combines MedCom's own codes with HL7's operation-outcome codes.</summary>
    private static string CodeSystemFor(string code) =>
        MedComIssueCodes.IsMedComCode(code) ? MedComUrls.AcknowledgementErrorCodes : MedComUrls.Hl7OperationOutcomeCodes;

    private static void WriteMeta(Utf8JsonWriter json, string profile)
    {
        json.WriteStartObject("meta");
        json.WriteStartArray("profile");
        json.WriteStringValue(profile);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNarrative(Utf8JsonWriter json, string innerXhtml)
    {
        json.WriteStartObject("text");
        json.WriteString("status", "generated");
        json.WriteString("div", Div(innerXhtml));
        json.WriteEndObject();
    }

    private static void WriteCoding(Utf8JsonWriter json, string system, string code)
    {
        json.WriteString("system", system);
        json.WriteString("code", code);
    }

    private static void WriteReference(Utf8JsonWriter json, string property, string type, string id)
    {
        json.WriteStartObject(property);
        json.WriteString("reference", $"{type}/{id}");
        json.WriteEndObject();
    }

    /// <summary>An instant as Firely writes one: seconds always, fractions only as far as they go, the offset as ±hh:mm.</summary>
    private static string Instant(DateTimeOffset at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", CultureInfo.InvariantCulture);

    private static string NewId() => TimeOrderedId.New().ToString("D");
}

using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Integration.Fhir.Validation;
using Integration.Fhir.Validation.Rules;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Rehabilitation;

/// <summary>The message's own Provenance and what its activity does to the plan or referral.</summary>
internal sealed record OwnActivity(RehabilitationRequestAction Action, Provenance Provenance, string Path);

/// <summary>Lookups that the training-plan and referral rules and readers share: the ServiceRequest the message is
/// about, the action of its own Provenance, diagnoses and dates.</summary>
internal static partial class RequestMessage
{
    private const string MessageHeaderMarker = "MessageHeader/";

    /// <summary>The ServiceRequest MessageHeader.focus references (exactly one focus), with its path.</summary>
    public static (ServiceRequest Request, string Path)? Focused(MessageContext message)
    {
        var focus = message.Header.Focus;
        var (request, path) = focus.Count == 1 ? message.Resolve<ServiceRequest>(focus[0]) : (null, null);
        return request is null ? null : (request, path!);
    }

    /// <summary>The first Provenance of this message whose activity is a training-plan or referral activity of the hub's
    /// activity code system. Null when there is none: the envelope and activity rules report why.</summary>
    public static OwnActivity? Activity(MessageContext message)
    {
        foreach (var (provenance, path) in message.OwnProvenances())
        {
            var code = provenance.Activity?.Coding
                .FirstOrDefault(c => string.Equals(c.System, MedComCodeLists.HubActivityCodeSystem, StringComparison.Ordinal))?.Code;
            if (RehabilitationCodes.Action(code) is { } action)
            {
                return new OwnActivity(action, provenance, path);
            }
        }

        return null;
    }

    /// <summary>The plan or referral identifiers a revision or cancellation names (entities with role revision and a
    /// what.identifier), with the entity index.</summary>
    public static IEnumerable<(string Identifier, int Index)> RevisedIdentifiers(Provenance provenance) =>
        provenance.Entity
            .Select((entity, index) => (entity, index))
            .Where(e => e.entity.Role == Provenance.ProvenanceEntityRole.Revision
                        && !string.IsNullOrWhiteSpace(e.entity.What?.Identifier?.Value))
            .Select(e => (e.entity.What!.Identifier!.Value!, e.index));

    /// <summary>The MessageHeader.id of the earlier message a revision names (entity role revision, what.reference
    /// <c>MessageHeader/{id}</c>, possibly absolute or versioned), when it names one.</summary>
    public static string? PreviousMessageHeaderId(Provenance provenance)
    {
        foreach (var entity in provenance.Entity)
        {
            var reference = entity.What?.Reference;
            var at = reference?.LastIndexOf(MessageHeaderMarker, StringComparison.Ordinal) ?? -1;
            if (entity.Role == Provenance.ProvenanceEntityRole.Revision && at >= 0)
            {
                var id = reference![(at + MessageHeaderMarker.Length)..];
                var slash = id.IndexOf('/', StringComparison.Ordinal);
                return slash >= 0 ? id[..slash] : id;
            }
        }

        return null;
    }

    /// <summary>The first SKS or ICD-10 coding with a code and a display (the coding's, else the concept's text).</summary>
    public static DiagnosisCode? Diagnosis(CodeableConcept concept)
    {
        foreach (var coding in concept.Coding)
        {
            var display = string.IsNullOrWhiteSpace(coding.Display) ? concept.Text : coding.Display;
            if (RehabilitationCodes.IsDiagnosisSystem(coding.System) && !string.IsNullOrWhiteSpace(coding.Code)
                && !string.IsNullOrWhiteSpace(display))
            {
                return new DiagnosisCode(coding.System!, coding.Code, display);
            }
        }

        return null;
    }

    /// <summary>A FHIR date that is a full day (YYYY-MM-DD), not a year or a month.</summary>
    public static bool TryReadDate(Date? date, out DateOnly result)
    {
        result = default;
        return date?.Value is { } text && FullDate().IsMatch(text)
            && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out result);
    }

    /// <summary>The identifier of the plan or referral: ServiceRequest.identifier, when it has exactly one with a value.</summary>
    public static string? Identifier(ServiceRequest request) =>
        request.Identifier is [{ Value: { } value }] && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The texts of ServiceRequest.note, blank ones left out, one paragraph each.</summary>
    public static string? NoteText(ServiceRequest request)
    {
        var texts = request.Note.Select(n => n.Text).Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        return texts.Count == 0 ? null : string.Join("\n\n", texts);
    }

    /// <summary>The status-reason extension's coding in the hub's code system, and its text (concept text, else the display).</summary>
    public static (RehabilitationStatusReason? Reason, string? Text) StatusReason(ServiceRequest request)
    {
        if (FindExtension(request.Extension, RehabilitationCodes.StatusReasonExtension)?.Value is not CodeableConcept concept)
        {
            return (null, null);
        }

        var coding = concept.Coding.FirstOrDefault(c => string.Equals(c.System, RehabilitationCodes.StatusReasonSystem, StringComparison.Ordinal));
        RehabilitationStatusReason? reason = coding?.Code is { } code && RehabilitationCodes.StatusReasons.TryGetValue(code, out var known) ? known : null;
        var text = string.IsNullOrWhiteSpace(concept.Text) ? coding?.Display : concept.Text;
        return (reason, string.IsNullOrWhiteSpace(text) ? null : text);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$")]
    private static partial Regex FullDate();
}

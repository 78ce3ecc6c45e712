using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using Integration.Fhir.Notifications;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.CareCommunications;

/// <summary>The Provenance whose target is this message's MessageHeader: the activity, when it was sent, the earlier
/// message it answers or forwards, and the message segments it added. The other Provenances describe earlier
/// messages of the thread.</summary>
internal sealed record OwnProvenanceFacts(CareCommunicationActivity Activity, DateTimeOffset OccurredAt,
    IReadOnlyList<string> PreviousMessageHeaderIds, IReadOnlyList<string> PreviousNonFhirMessageIds)
{
    private const string UrnUuid = "urn:uuid:";

    public static OwnProvenanceFacts? Read(Bundle bundle, IReadOnlySet<string>? payloadIdentifiers, List<MedComIssue> issues)
    {
        var index = -1;
        for (var i = 0; i < bundle.Entry.Count && index < 0; i++)
        {
            if (bundle.Entry[i].Resource is Provenance candidate && candidate.Target.Any(t => PointsAt(bundle, t.Reference, 0)))
            {
                index = i;
            }
        }

        if (index < 0)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "No Provenance has this message's MessageHeader as target.", "Bundle.entry"));
            return null;
        }

        var path = Invariant($"Bundle.entry[{index}].resource");
        var provenance = (Provenance)bundle.Entry[index].Resource!;
        var count = issues.Count;
        var activity = ReadActivity(provenance, path + ".activity", issues);
        if (!TryReadZoned(provenance.Occurred as FhirDateTime, out var occurredAt))
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "Provenance.occurredDateTime must be a date and time with a time zone.", path + ".occurredDateTime"));
        }

        var previous = new List<string>();
        var previousNonFhir = new List<string>();
        for (var i = 0; i < provenance.Entity.Count; i++)
        {
            ReadEntity(provenance.Entity[i], Invariant($"{path}.entity[{i}]"), payloadIdentifiers, previous, previousNonFhir, issues);
        }

        if (activity is CareCommunicationActivity.Reply or CareCommunicationActivity.Forward
            && previous.Count == 0 && previousNonFhir.Count == 0)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "A reply or forward must name the message it answers in a Provenance.entity with role revision.",
                path + ".entity"));
        }

        return issues.Count > count || activity is null
            ? null
            : new OwnProvenanceFacts(activity.Value, occurredAt, previous, previousNonFhir);
    }

    private static CareCommunicationActivity? ReadActivity(Provenance provenance, string path, List<MedComIssue> issues)
    {
        var codings = provenance.Activity?.Coding ?? [];
        var code = codings.FirstOrDefault(c => c.System == MedComUrls.ActivityCodes)?.Code;
        if (string.IsNullOrEmpty(code))
        {
            issues.Add(codings.Count == 0
                ? new MedComIssue(MedComIssueCodes.DatatypeWrong, "Provenance.activity has no coding.", path)
                : new MedComIssue(MedComIssueCodes.ValueSetValueUnknown,
                    $"Provenance.activity must be coded in {MedComUrls.ActivityCodes}.", path));
            return null;
        }

        if (CareCommunicationCodes.Activity(code) is { } activity)
        {
            return activity;
        }

        issues.Add(NotificationEvents.IsKnownActivityCode(code)
            ? new MedComIssue(MedComIssueCodes.ValueSetValueUnknown,
                "The Provenance activity is not a CareCommunication activity (new-message, reply-message or forward-message).", path)
            : new MedComIssue(MedComIssueCodes.CodeSystemValueUnknown,
                "The Provenance activity code is not in the MedCom activity CodeSystem.", path));
        return null;
    }

    /// <summary>An entity is the earlier FHIR message (what.reference = its MessageHeader), an earlier EDIFACT/OIOXML
    /// message (role revision, what.identifier = [lokationsnummer]#[brevid]) or a message segment this message added
    /// (what.identifier = a Communication.payload identifier). A segment identifier that names no segment of the
    /// Communication is an error: MedCom's receive test Tek-M/N ("send a negative acknowledgement") is exactly that.</summary>
    private static void ReadEntity(Provenance.EntityComponent entity, string path, IReadOnlySet<string>? payloadIdentifiers,
        List<string> previous, List<string> previousNonFhir, List<MedComIssue> issues)
    {
        var reference = entity.What?.Reference;
        if (!string.IsNullOrWhiteSpace(reference))
        {
            previous.Add(MessageHeaderIdOf(reference));
            return;
        }

        var identifier = entity.What?.Identifier?.Value;
        if (string.IsNullOrWhiteSpace(identifier))
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "Provenance.entity.what has neither a reference nor an identifier value.", path + ".what"));
            return;
        }

        if (payloadIdentifiers?.Contains(identifier) == true)
        {
            return;
        }

        if (entity.Role == Provenance.ProvenanceEntityRole.Revision
            && !identifier.StartsWith(UrnUuid, StringComparison.OrdinalIgnoreCase))
        {
            previousNonFhir.Add(identifier);
            return;
        }

        if (payloadIdentifiers is not null)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "Provenance.entity names a message segment that is not in the Communication (no Communication.payload "
                + "has this identifier).", path + ".what.identifier"));
        }
    }

    /// <summary><c>MessageHeader/{id}</c>, possibly absolute or versioned, gives the id; anything else is kept as written.</summary>
    private static string MessageHeaderIdOf(string reference)
    {
        const string marker = "MessageHeader/";
        var at = reference.LastIndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return reference;
        }

        var id = reference[(at + marker.Length)..];
        var history = id.IndexOf('/', StringComparison.Ordinal);
        return history >= 0 ? id[..history] : id;
    }
}

using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using Integration.Fhir.Messaging;
using Integration.Fhir.Parsing;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Notifications;

/// <summary>Reads a MedCom HospitalNotification 3.0.2 message. Problems become <see cref="MedComIssue"/>s with
/// element paths, ready for a fatal-error acknowledgement; texts never contain values from the message.</summary>
internal sealed class HospitalNotificationReader(SafeFhirDeserializer deserializer) : IHospitalNotificationReader
{
    private const string Kind = "a HospitalNotification";

    public HospitalNotificationResult Read(string fhirJson)
    {
        ArgumentNullException.ThrowIfNull(fhirJson);
        return TypedMessageLoader.Guarded(() => ReadCore(fhirJson), Failed);
    }

    public HospitalNotificationResult Read(ParsedMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Bundle is not { } parsed)
        {
            return Read(message.FhirJson);
        }

        return TypedMessageLoader.Guarded(
            () => TypedMessageLoader.TryUse(parsed, MedComUrls.HospitalNotificationEvent, Kind, out var bundle, out var header) is { } notUsable
                ? Failed(notUsable)
                : ReadLoaded(bundle, header),
            Failed);
    }

    private HospitalNotificationResult ReadCore(string fhirJson) =>
        TypedMessageLoader.TryLoad(deserializer, fhirJson, MedComUrls.HospitalNotificationEvent, Kind, out var bundle, out var header) is { } notLoaded
            ? Failed(notLoaded)
            : ReadLoaded(bundle, header);

    private static HospitalNotificationResult ReadLoaded(Bundle bundle, MessageHeader header)
    {
        var issues = new List<MedComIssue>();
        var activity = ReadActivity(bundle, header, issues);
        var patient = ReadPatient(bundle, issues);
        var encounter = ReadEncounter(bundle, header, issues);
        var reportOfAdmission = FindExtension(header.Extension, MedComUrls.ReportOfAdmissionExtension)?.Value is FhirBoolean { Value: true };
        var recipientReference = FindExtension(header.Extension, MedComUrls.ReportOfAdmissionRecipientExtension)?.Value as ResourceReference;

        NotificationEvent? notificationEvent = null;
        if (activity is not null && patient is not null)
        {
            notificationEvent = NotificationEvents.Decide(activity.Code, patient.Deceased);
            if (notificationEvent is null)
            {
                // Unreachable while the activity check below and the event table agree; kept as a guard.
                issues.Add(new MedComIssue(MedComIssueCodes.ValueSetValueUnknown,
                    "The Provenance activity does not map to a HospitalNotification event.", activity.Path));
            }
        }

        if (issues.Count > 0 || activity is null || patient is null || encounter is null || notificationEvent is null)
        {
            return new HospitalNotificationResult(null, issues);
        }

        var notification = new HospitalNotification
        {
            MessageHeaderId = header.Id!,
            Event = notificationEvent.Value,
            ActivityCode = activity.Code,
            OccurredAt = activity.OccurredAt,
            CitizenCpr = patient.Cpr,
            StayIdentifier = encounter.StayIdentifier,
            EncounterClass = encounter.Class,
            EncounterStatus = encounter.Status,
            StayStart = encounter.Start,
            StayEnd = encounter.End,
            LeaveStart = encounter.LeaveStart,
            LeaveEnd = encounter.LeaveEnd,
            PatientDeceased = patient.Deceased,
            ReportOfAdmissionRequested = reportOfAdmission,
            ReportOfAdmissionRecipient = Identity(Resolve<Organization>(bundle, recipientReference)),
            ServiceProvider = encounter.ServiceProvider,
        };
        return new HospitalNotificationResult(notification, []);
    }

    private sealed record ActivityFacts(string Code, DateTimeOffset OccurredAt, string Path);

    private sealed record PatientFacts(string Cpr, bool Deceased);

    private sealed record EncounterFacts(string StayIdentifier, string Class, string Status,
        DateTimeOffset? Start, DateTimeOffset? End, DateTimeOffset? LeaveStart, DateTimeOffset? LeaveEnd,
        OrganizationIdentity? ServiceProvider);

    /// <summary>The Provenance of this message is the one whose target is this message's MessageHeader; the others
    /// describe the stay's earlier messages.</summary>
    private static ActivityFacts? ReadActivity(Bundle bundle, MessageHeader header, List<MedComIssue> issues)
    {
        var index = -1;
        for (var i = 0; i < bundle.Entry.Count && index < 0; i++)
        {
            if (bundle.Entry[i].Resource is Provenance provenance
                && provenance.Target.Any(t => PointsAt(bundle, t.Reference, 0)))
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

        var ok = true;
        var path = Invariant($"Bundle.entry[{index}].resource");
        var ofThisMessage = (Provenance)bundle.Entry[index].Resource!;
        var codings = ofThisMessage.Activity?.Coding ?? [];
        var coding = codings.FirstOrDefault(c => string.Equals(c.System, MedComUrls.ActivityCodes, StringComparison.Ordinal));
        var code = coding?.Code;
        if (string.IsNullOrEmpty(code))
        {
            issues.Add(codings.Count == 0
                ? new MedComIssue(MedComIssueCodes.DatatypeWrong, "Provenance.activity has no coding.", path + ".activity")
                : new MedComIssue(MedComIssueCodes.ValueSetValueUnknown,
                    $"Provenance.activity must be coded in {MedComUrls.ActivityCodes}.", path + ".activity"));
            ok = false;
        }
        else if (!NotificationEvents.IsKnownActivityCode(code))
        {
            issues.Add(new MedComIssue(MedComIssueCodes.CodeSystemValueUnknown,
                "The Provenance activity code is not in the MedCom activity CodeSystem.", path + ".activity"));
            ok = false;
        }
        else if (NotificationEvents.Decide(code, deceased: false) is null)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.ValueSetValueUnknown,
                "The Provenance activity code is not a HospitalNotification activity.", path + ".activity"));
            ok = false;
        }

        if (!TryReadZoned(ofThisMessage.Occurred as FhirDateTime, out var occurredAt))
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "Provenance.occurredDateTime must be a date and time with a time zone.", path + ".occurredDateTime"));
            ok = false;
        }

        return ok && code is not null ? new ActivityFacts(code, occurredAt, path + ".activity") : null;
    }

    private static PatientFacts? ReadPatient(Bundle bundle, List<MedComIssue> issues)
    {
        var index = bundle.Entry.FindIndex(e => e.Resource is Patient);
        if (index < 0)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong, "The message has no Patient.", "Bundle.entry"));
            return null;
        }

        var patient = (Patient)bundle.Entry[index].Resource!;
        var cpr = IdentifierValue(patient.Identifier, MedComUrls.CprSystem);
        if (cpr is null)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                $"The Patient has no identifier with system {MedComUrls.CprSystem} (CPR).",
                Invariant($"Bundle.entry[{index}].resource.identifier")));
            return null;
        }

        // MedCom states death as deceasedBoolean = true; a deceasedDateTime says the same.
        var deceased = patient.Deceased switch
        {
            FhirBoolean { Value: true } => true,
            FhirDateTime { Value.Length: > 0 } => true,
            _ => false,
        };
        return new PatientFacts(cpr, deceased);
    }

    private static EncounterFacts? ReadEncounter(Bundle bundle, MessageHeader header, List<MedComIssue> issues)
    {
        // MessageHeader.focus names the Encounter; fall back to the only Encounter of the message.
        var index = header.Focus
            .Select(f => IndexOf(bundle, f.Reference))
            .FirstOrDefault(i => i >= 0 && bundle.Entry[i].Resource is Encounter, -1);
        if (index < 0)
        {
            index = bundle.Entry.FindIndex(e => e.Resource is Encounter);
        }

        if (index < 0)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong, "The message has no Encounter.",
                "Bundle.entry[0].resource.focus"));
            return null;
        }

        var path = Invariant($"Bundle.entry[{index}].resource");
        var encounter = (Encounter)bundle.Entry[index].Resource!;
        var count = issues.Count;

        var stay = StayIdentifier(encounter);
        if (stay is null)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "The Encounter has neither an episodeOfCare identifier nor an id.", path + ".episodeOfCare"));
        }

        var encounterClass = encounter.Class?.Code;
        if (string.IsNullOrEmpty(encounterClass))
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong, "Encounter.class is missing.", path + ".class"));
        }

        var status = encounter.Status?.GetLiteral();
        if (status is null)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong, "Encounter.status is missing.", path + ".status"));
        }

        var start = ReadOptional(encounter.Period?.StartElement, path + ".period.start", issues);
        var end = ReadOptional(encounter.Period?.EndElement, path + ".period.end", issues);
        var leave = FindExtension(encounter.Extension, MedComUrls.LeavePeriodExtension)?.Value as Period;
        var leavePath = path + ".extension:leavePeriod.valuePeriod";
        var leaveStart = ReadOptional(leave?.StartElement, leavePath + ".start", issues);
        var leaveEnd = ReadOptional(leave?.EndElement, leavePath + ".end", issues);

        if (issues.Count > count)
        {
            return null;
        }

        return new EncounterFacts(stay!, encounterClass!, status!, start, end, leaveStart, leaveEnd,
            Identity(Resolve<Organization>(bundle, encounter.ServiceProvider)));
    }

    /// <summary>The hospital's stay identifier: the episodeOfCare identifier issued under the hospital's SOR code
    /// when there are several (n73c has an LPR one first), else the first, else Encounter.id.</summary>
    private static string? StayIdentifier(Encounter encounter)
    {
        var identifiers = encounter.EpisodeOfCare
            .Select(r => r.Identifier)
            .Where(i => !string.IsNullOrWhiteSpace(i?.Value))
            .ToList();
        var chosen = identifiers.FirstOrDefault(i =>
                         i!.System?.StartsWith(MedComUrls.SorEpisodeOfCareSystemPrefix, StringComparison.Ordinal) == true)
                     ?? identifiers.FirstOrDefault();
        if (chosen?.Value is { } value)
        {
            const string urnUuid = "urn:uuid:";
            return value.StartsWith(urnUuid, StringComparison.OrdinalIgnoreCase) ? value[urnUuid.Length..] : value;
        }

        return string.IsNullOrWhiteSpace(encounter.Id) ? null : encounter.Id;
    }

    private static DateTimeOffset? ReadOptional(FhirDateTime? value, string path, List<MedComIssue> issues)
    {
        if (value?.Value is null)
        {
            return null;
        }

        if (TryReadZoned(value, out var result))
        {
            return result;
        }

        issues.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
            "The timestamp must be a date and time with a time zone.", path));
        return null;
    }

    private static HospitalNotificationResult Failed(MedComIssue issue) => new(null, [issue]);
}

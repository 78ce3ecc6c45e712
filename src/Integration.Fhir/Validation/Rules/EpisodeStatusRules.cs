using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using Integration.Fhir.Rehabilitation.Outgoing;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Validation.Rules;

/// <summary>The episode-status message (contracts/profiles/episode-status.md): one citizen, one EpisodeOfCare in focus whose
/// status matches the status the Provenance reports, the fields that status needs, and the responsible unit. The envelope
/// and the activity code are the messaging rules' business.</summary>
internal static class EpisodeStatusRules
{
    private const string BadFormat = "MSG_BAD_FORMAT";

    public static readonly HubRule Episode = new("hub-es-episode", "MSG_RESOURCE_REQUIRED",
        "An episode-status message has one EpisodeOfCare, MessageHeader.focus references it, and its patient is the message's Patient.");
    public static readonly HubRule Status = new("hub-es-status", MedComIssueCodes.ValueSetValueUnknown,
        "EpisodeOfCare.status is waitlist, planned, active, finished or cancelled, as the Provenance.activity's status demands.");
    public static readonly HubRule Identifiers = new("hub-es-identifiers", BadFormat,
        "EpisodeOfCare has the municipality's episode identifier, and referralRequest names the answered plan or referral by identifier.");
    public static readonly HubRule StartDate = new("hub-es-start-date", BadFormat,
        "A start-planned or started status has EpisodeOfCare.period.start (the planned or actual start).");
    public static readonly HubRule Outcome = new("hub-es-outcome", BadFormat,
        "A completed status has exactly one outcome (extension rehab-episode-outcome) coded in rehab-episode-outcome; other statuses have none.");
    public static readonly HubRule CancelReason = new("hub-es-cancel-reason", BadFormat,
        "A cancelled status has a reason (extension rehab-episode-cancel-reason); other statuses have none.");
    public static readonly HubRule ResponsibleUnit = new("hub-es-responsible-unit", "MSG_RESOURCE_REQUIRED",
        "EpisodeOfCare.managingOrganization references an Organization in the Bundle with a name (the responsible unit).");

    public static IReadOnlyList<HubRule> Rules { get; } = [Episode, Status, Identifiers, StartDate, Outcome, CancelReason, ResponsibleUnit];

    public static void Check(MessageContext message, IssueList issues)
    {
        var patientPath = CheckCitizen(message, issues);
        var (episode, path) = Focus<EpisodeOfCare>(message, Episode, "EpisodeOfCare", issues);
        if (episode is null)
        {
            return;
        }

        if (patientPath is not null && message.Resolve<Patient>(episode.Patient).Path != patientPath)
        {
            issues.Error(Episode, BadFormat, path + ".patient", "EpisodeOfCare.patient does not reference the message's Patient.");
        }

        var status = CheckStatus(message, episode, path, issues);
        CheckIdentifiers(episode, path, issues);
        if (status is EpisodeStatus.StartPlanned or EpisodeStatus.Started && episode.Period?.StartElement?.Value is null)
        {
            issues.Error(StartDate, path + ".period.start", "This status needs EpisodeOfCare.period.start.");
        }

        if (status is not null)
        {
            CheckOutcome(episode, path, status.Value, issues);
            CheckCancelReason(episode, path, status.Value, issues);
        }

        var (unit, _) = message.Resolve<Organization>(episode.ManagingOrganization);
        if (unit is null || string.IsNullOrWhiteSpace(unit.Name))
        {
            issues.Error(ResponsibleUnit, path + ".managingOrganization",
                "EpisodeOfCare.managingOrganization does not reference a named Organization in the Bundle.");
        }
    }

    /// <summary>Exactly one Patient, identified by a CPR number (the hub's outgoing messages are about one citizen).</summary>
    /// <returns>The Patient's path when there is exactly one.</returns>
    public static string? CheckCitizen(MessageContext message, IssueList issues)
    {
        var patients = message.All<Patient>().ToList();
        if (patients.Count != 1)
        {
            issues.Error(HubRules.PatientRequired, patients.Count == 0 ? HubRules.PatientRequired.MedComCode : "MSG_RESOURCE_NOT_ALLOWED",
                "Bundle.entry", Invariant($"The message must have exactly one Patient; it has {patients.Count}."));
            return null;
        }

        var (patient, path) = patients[0];
        if (IdentifierValue(patient.Identifier, MedComUrls.CprSystem) is null)
        {
            issues.Error(HubRules.PatientCpr, path + ".identifier", $"The Patient is identified by a CPR number (system {MedComUrls.CprSystem}).");
        }

        return path;
    }

    /// <summary>The one resource of type <typeparamref name="T"/>, which MessageHeader.focus references.</summary>
    public static (T? Resource, string Path) Focus<T>(MessageContext message, HubRule rule, string name, IssueList issues) where T : Resource
    {
        var all = message.All<T>().ToList();
        if (all.Count != 1)
        {
            issues.Error(rule, all.Count == 0 ? rule.MedComCode : "MSG_RESOURCE_NOT_ALLOWED", "Bundle.entry",
                Invariant($"The message must have exactly one {name}; it has {all.Count}."));
        }

        var focus = message.Header.Focus;
        var (resource, path) = focus.Count == 1 ? message.Resolve<T>(focus[0]) : (null, null);
        if (resource is null)
        {
            issues.Error(rule, MessageContext.HeaderPath + ".focus", $"MessageHeader.focus must reference the {name} in the Bundle.");
            return (null, "");
        }

        return (resource, path!);
    }

    /// <summary>The status the message's own Provenance reports (unknown codes are reported by the activity rule), and
    /// EpisodeOfCare.status must be the one that goes with it.</summary>
    private static EpisodeStatus? CheckStatus(MessageContext message, EpisodeOfCare episode, string path, IssueList issues)
    {
        var activity = message.OwnProvenances()
            .SelectMany(p => p.Resource.Activity?.Coding ?? [])
            .FirstOrDefault(c => string.Equals(c.System, MedComCodeLists.HubActivityCodeSystem, StringComparison.Ordinal))?.Code;
        var status = OutgoingCodes.StatusOfActivity(activity);
        var allowed = OutgoingCodes.Statuses.Any(s => s.EpisodeOfCareStatus == episode.Status);
        if (episode.Status is null || !allowed)
        {
            issues.Error(Status, path + ".status",
                "EpisodeOfCare.status must be waitlist, planned, active, finished or cancelled.");
        }
        else if (status is not null && episode.Status != OutgoingCodes.EpisodeOfCareStatusOf(status.Value))
        {
            issues.Error(Status, path + ".status", "EpisodeOfCare.status does not go with the status in Provenance.activity.");
        }

        return status;
    }

    private static void CheckIdentifiers(EpisodeOfCare episode, string path, IssueList issues)
    {
        if (!episode.Identifier.Any(i => !string.IsNullOrWhiteSpace(i.Value)))
        {
            issues.Error(Identifiers, path + ".identifier", "EpisodeOfCare has no identifier (the municipality's episode).");
        }

        if (!episode.ReferralRequest.Any(r => !string.IsNullOrWhiteSpace(r.Identifier?.Value)))
        {
            issues.Error(Identifiers, path + ".referralRequest",
                "EpisodeOfCare.referralRequest names no plan or referral by identifier.");
        }
    }

    private static void CheckOutcome(EpisodeOfCare episode, string path, EpisodeStatus status, IssueList issues)
    {
        var outcomes = Extensions(episode, OutgoingCodes.OutcomeExtension).ToList();
        if (status != EpisodeStatus.Completed)
        {
            foreach (var (_, index) in outcomes)
            {
                issues.Error(Outcome, Invariant($"{path}.extension[{index}]"), "Only a completed status has an outcome.");
            }

            return;
        }

        if (outcomes.Count != 1)
        {
            issues.Error(Outcome, path + ".extension", "A completed status has exactly one outcome (extension rehab-episode-outcome).");
            return;
        }

        var (extension, at) = outcomes[0];
        var coding = extension.Value as Coding;
        if (coding is null || !string.Equals(coding.System, OutgoingCodes.OutcomeSystem, StringComparison.Ordinal))
        {
            issues.Error(Outcome, MedComIssueCodes.CodeSystemValueUnknown, Invariant($"{path}.extension[{at}].value"),
                "The outcome is not a Coding in rehab-episode-outcome.");
        }
        else if (coding.Code is null || !OutgoingCodes.OutcomeCodes.Contains(coding.Code))
        {
            issues.Error(Outcome, MedComIssueCodes.CodeSystemValueUnknown, Invariant($"{path}.extension[{at}].value.code"),
                "The outcome is not a code of rehab-episode-outcome.");
        }
    }

    private static void CheckCancelReason(EpisodeOfCare episode, string path, EpisodeStatus status, IssueList issues)
    {
        var reasons = Extensions(episode, OutgoingCodes.CancelReasonExtension).ToList();
        if (status != EpisodeStatus.Cancelled)
        {
            foreach (var (_, index) in reasons)
            {
                issues.Error(CancelReason, Invariant($"{path}.extension[{index}]"), "Only a cancelled status has a cancel reason.");
            }
        }
        else if (!reasons.Any(r => r.Extension.Value is FhirString { Value: { } text } && !string.IsNullOrWhiteSpace(text)))
        {
            issues.Error(CancelReason, path + ".extension", "A cancelled status has a reason (extension rehab-episode-cancel-reason, valueString).");
        }
    }

    private static IEnumerable<(Extension Extension, int Index)> Extensions(DomainResource resource, string url) =>
        resource.Extension.Select((e, i) => (e, i)).Where(x => string.Equals(x.e.Url, url, StringComparison.Ordinal));
}

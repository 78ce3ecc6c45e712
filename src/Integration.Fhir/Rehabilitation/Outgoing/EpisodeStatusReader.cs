using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using Integration.Fhir.Parsing;
using Integration.Fhir.Validation.Rules;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Rehabilitation.Outgoing;

/// <summary>Reads an episode-status message (contracts/profiles/episode-status.md). The status is decided by the message's
/// own Provenance.activity, as MedCom decides a notification's event; EpisodeOfCare.status must agree with it.</summary>
internal sealed class EpisodeStatusReader(SafeFhirDeserializer deserializer) : IEpisodeStatusReader
{
    public EpisodeStatusResult Read(string fhirJson)
    {
        ArgumentNullException.ThrowIfNull(fhirJson);
        return TypedMessageLoader.Guarded(() => ReadCore(fhirJson), issue => new EpisodeStatusResult(null, [issue]));
    }

    private EpisodeStatusResult ReadCore(string fhirJson)
    {
        if (TypedMessageLoader.TryLoad(deserializer, fhirJson, MedComCodeLists.EpisodeStatusEvent, "an episode-status message",
                out var bundle, out var header) is { } notLoaded)
        {
            return new EpisodeStatusResult(null, [notLoaded]);
        }

        var issues = new List<MedComIssue>();
        var facts = OutgoingMessageFacts.Read(bundle, header, issues);
        var status = OutgoingCodes.StatusOfActivity(facts.Activity);
        if (facts.Activity is not null && status is null)
        {
            issues.Add(new MedComIssue(MedComIssueCodes.CodeSystemValueUnknown,
                "The Provenance activity is not an episode status.", facts.OwnProvenancePath + ".activity"));
        }

        var (episode, path) = facts.Focus<EpisodeOfCare>(issues);
        if (episode is null || status is null || issues.Count > 0)
        {
            return new EpisodeStatusResult(null, issues);
        }

        if (ReadEpisode(episode, path, status.Value, bundle, issues) is not { } read)
        {
            return new EpisodeStatusResult(null, issues);
        }

        var message = new ReceivedEpisodeStatus
        {
            MessageHeaderId = header.Id!,
            SentAt = facts.SentAt,
            From = facts.From!,
            FromEndpoint = facts.FromEndpoint,
            To = facts.To!,
            ToEndpoint = facts.ToEndpoint,
            CitizenCpr = facts.CitizenCpr!,
            EpisodeId = read.EpisodeId,
            AnsweredRequest = read.AnsweredRequest,
            Status = status.Value,
            PlannedStart = status == EpisodeStatus.StartPlanned ? read.Start : null,
            StartedOn = status is EpisodeStatus.Started or EpisodeStatus.Completed or EpisodeStatus.Cancelled ? read.Start : null,
            EndedOn = status is EpisodeStatus.Completed or EpisodeStatus.Cancelled ? read.End : null,
            Outcome = status == EpisodeStatus.Completed ? read.Outcome : null,
            CancelReason = status == EpisodeStatus.Cancelled ? read.CancelReason : null,
            ResponsibleUnit = read.ResponsibleUnit,
        };
        return new EpisodeStatusResult(message, []);
    }

    private sealed record EpisodeFacts(string EpisodeId, RequestIdentifier AnsweredRequest, DateOnly? Start, DateOnly? End,
        EpisodeOutcome? Outcome, string? CancelReason, MunicipalUnit ResponsibleUnit);

    private static EpisodeFacts? ReadEpisode(EpisodeOfCare episode, string path, EpisodeStatus status, Bundle bundle, List<MedComIssue> issues)
    {
        var count = issues.Count;
        if (episode.Status != OutgoingCodes.EpisodeOfCareStatusOf(status))
        {
            issues.Add(new MedComIssue(MedComIssueCodes.ValueSetValueUnknown,
                "EpisodeOfCare.status does not match the status in Provenance.activity.", path + ".status"));
        }

        var episodeId = episode.Identifier.FirstOrDefault(i => !string.IsNullOrWhiteSpace(i.Value))?.Value;
        if (episodeId is null)
        {
            issues.Add(new MedComIssue("MSG_BAD_FORMAT", "EpisodeOfCare has no identifier (the municipality's episode).", path + ".identifier"));
        }

        var answered = episode.ReferralRequest.Select(r => r.Identifier).FirstOrDefault(i => !string.IsNullOrWhiteSpace(i?.Value));
        if (answered is null)
        {
            issues.Add(new MedComIssue("MSG_BAD_FORMAT",
                "EpisodeOfCare.referralRequest names no plan or referral by identifier.", path + ".referralRequest"));
        }

        var unit = OutgoingMessageFacts.Unit(Resolve<Organization>(bundle, episode.ManagingOrganization));
        if (unit is null)
        {
            issues.Add(new MedComIssue("MSG_RESOURCE_REQUIRED",
                "EpisodeOfCare.managingOrganization does not reference a named Organization in the Bundle.", path + ".managingOrganization"));
        }

        var start = OutgoingMessageFacts.Day(episode.Period?.StartElement);
        var end = OutgoingMessageFacts.Day(episode.Period?.EndElement);
        if (status is EpisodeStatus.StartPlanned or EpisodeStatus.Started && start is null)
        {
            issues.Add(new MedComIssue("MSG_BAD_FORMAT", "This status needs EpisodeOfCare.period.start.", path + ".period.start"));
        }

        var outcomeCode = (FindExtension(episode.Extension, OutgoingCodes.OutcomeExtension)?.Value as Coding)?.Code;
        var outcome = OutgoingCodes.OutcomeOf(outcomeCode);
        if (status == EpisodeStatus.Completed && outcome is null)
        {
            issues.Add(new MedComIssue(outcomeCode is null ? "MSG_BAD_FORMAT" : MedComIssueCodes.CodeSystemValueUnknown,
                "A completed episode needs an outcome from rehab-episode-outcome.", path + ".extension"));
        }

        var cancelReason = (FindExtension(episode.Extension, OutgoingCodes.CancelReasonExtension)?.Value as FhirString)?.Value;
        if (status == EpisodeStatus.Cancelled && string.IsNullOrWhiteSpace(cancelReason))
        {
            issues.Add(new MedComIssue("MSG_BAD_FORMAT", "A cancelled episode needs a reason.", path + ".extension"));
        }

        return issues.Count > count
            ? null
            : new EpisodeFacts(episodeId!, new RequestIdentifier(answered!.Value!, answered.System), start, end, outcome, cancelReason, unit!);
    }
}

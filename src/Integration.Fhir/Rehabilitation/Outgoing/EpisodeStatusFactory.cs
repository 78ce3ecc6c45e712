using System.Globalization;
using Hl7.Fhir.Model;
using Integration.Fhir.Validation.Rules;
using static Integration.Fhir.Acknowledgements.Narratives;
using static Integration.Fhir.Rehabilitation.Outgoing.OutgoingEnvelope;

namespace Integration.Fhir.Rehabilitation.Outgoing;

/// <summary>Builds episode-status messages (contracts/profiles/episode-status.md): the municipality tells the hospital or GP
/// that sent a plan or referral where the episode is. Entries: MessageHeader, Provenance, sender, receiver, Patient,
/// EpisodeOfCare, responsible unit.</summary>
internal sealed class EpisodeStatusFactory : IEpisodeStatusFactory
{
    public BuiltEpisodeStatus Create(EpisodeStatusRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);

        var bundleId = NewId();
        var headerId = NewId();
        var sender = MessagingOrganization(request.From);
        var receiver = MessagingOrganization(request.To);
        var patient = CitizenPatient(request.CitizenCpr);
        var unit = Unit(request.ResponsibleUnit);
        var episode = BuildEpisode(request, patient, unit);
        var activity = OutgoingCodes.ActivityOf(request.Status);
        var header = Header(headerId, OutgoingCodes.EpisodeStatusHeaderProfile, MedComCodeLists.EpisodeStatusEvent, sender,
            request.FromEndpoint, receiver, request.ToEndpoint, episode,
            $"<p><b>Episode status</b>: {E(activity)}</p><p>From {E(Describe(request.From))} to {E(Describe(request.To))}</p>");
        var provenance = OwnProvenance(headerId, request.CreatedAt, activity, sender,
            $"<p>Episode status {E(activity)} sent {E(Timestamp(request.CreatedAt))} by {E(Describe(request.From))}</p>");

        var json = Serialize(bundleId, OutgoingCodes.EpisodeStatusMessageProfile, request.CreatedAt,
            [header, provenance, sender, receiver, patient, episode, unit]);
        return new BuiltEpisodeStatus(bundleId, headerId, json);
    }

    private static void Validate(EpisodeStatusRequest request)
    {
        RequireParties(request.From, request.FromEndpoint, request.To, request.ToEndpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.CitizenCpr);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.EpisodeId);
        ArgumentNullException.ThrowIfNull(request.AnsweredRequest);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.AnsweredRequest.Value);
        ArgumentNullException.ThrowIfNull(request.ResponsibleUnit);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ResponsibleUnit.Name);
        if (!Enum.IsDefined(request.Status))
        {
            throw new ArgumentOutOfRangeException(nameof(request), "Unknown episode status.");
        }

        var status = request.Status;
        Check(Fits(status == EpisodeStatus.StartPlanned, request.PlannedStart is not null),
            "PlannedStart belongs to StartPlanned, and StartPlanned needs it.");
        Check(Fits(status == EpisodeStatus.Started, request.StartedOn is not null, optionalFor: status is EpisodeStatus.Completed or EpisodeStatus.Cancelled),
            "StartedOn belongs to Started (needed), Completed or Cancelled.");
        Check(Fits(false, request.EndedOn is not null, optionalFor: status is EpisodeStatus.Completed or EpisodeStatus.Cancelled),
            "EndedOn belongs to Completed or Cancelled.");
        Check(Fits(status == EpisodeStatus.Completed, request.Outcome is not null),
            "Outcome belongs to Completed, and Completed needs it.");
        Check(Fits(status == EpisodeStatus.Cancelled, !string.IsNullOrWhiteSpace(request.CancelReason)),
            "CancelReason belongs to Cancelled, and Cancelled needs it.");
        if (request.Outcome is { } outcome && !Enum.IsDefined(outcome))
        {
            throw new ArgumentOutOfRangeException(nameof(request), "Unknown episode outcome.");
        }

        static void Check(bool fits, string why)
        {
            if (!fits)
            {
                throw new ArgumentException(why, nameof(request));
            }
        }
    }

    /// <summary>A field the status needs is there; one it does not take is not (unless optional for it).</summary>
    private static bool Fits(bool needed, bool present, bool optionalFor = false) => needed == present || (present && optionalFor);

    private static EpisodeOfCare BuildEpisode(EpisodeStatusRequest request, Patient patient, Organization unit)
    {
        var episode = new EpisodeOfCare
        {
            Id = NewId(),
            Meta = new Meta { Profile = [OutgoingCodes.EpisodeOfCareProfile] },
            Identifier = [new Identifier(OutgoingCodes.SorScopedSystem(request.From.Sor!), request.EpisodeId)],
            Status = OutgoingCodes.EpisodeOfCareStatusOf(request.Status),
            Patient = Reference(patient),
            ManagingOrganization = Reference(unit),
            ReferralRequest =
            [
                new ResourceReference
                {
                    Type = "ServiceRequest",
                    Identifier = new Identifier(request.AnsweredRequest.System, request.AnsweredRequest.Value),
                },
            ],
        };

        var start = request.Status == EpisodeStatus.StartPlanned ? request.PlannedStart : request.StartedOn;
        if (start is not null || request.EndedOn is not null)
        {
            episode.Period = new Period
            {
                StartElement = start is { } s ? Date(s) : null,
                EndElement = request.EndedOn is { } e ? Date(e) : null,
            };
        }

        if (request.Outcome is { } outcome)
        {
            var (code, display) = OutgoingCodes.CodeOf(outcome);
            episode.Extension.Add(new Extension(OutgoingCodes.OutcomeExtension, new Coding(OutgoingCodes.OutcomeSystem, code, display)));
        }

        if (!string.IsNullOrWhiteSpace(request.CancelReason))
        {
            episode.Extension.Add(new Extension(OutgoingCodes.CancelReasonExtension, new FhirString(request.CancelReason)));
        }

        episode.Text = Generated(Narrative(request));
        return episode;
    }

    private static string Narrative(EpisodeStatusRequest request)
    {
        var parts = new List<string>
        {
            $"<p><b>Rehabilitation episode</b> {E(request.EpisodeId)}: {E(OutgoingCodes.ActivityOf(request.Status))}</p>",
            $"<p>Answers plan or referral {E(request.AnsweredRequest.Value)}; responsible unit {E(request.ResponsibleUnit.Name)}</p>",
        };
        if (request.PlannedStart is { } planned)
        {
            parts.Add($"<p>Planned start {Day(planned)}</p>");
        }

        if (request.StartedOn is { } started)
        {
            parts.Add($"<p>Started {Day(started)}</p>");
        }

        if (request.EndedOn is { } ended)
        {
            parts.Add($"<p>Ended {Day(ended)}</p>");
        }

        if (request.Outcome is { } outcome)
        {
            parts.Add($"<p>Outcome: {E(OutgoingCodes.CodeOf(outcome).Display)}</p>");
        }

        if (!string.IsNullOrWhiteSpace(request.CancelReason))
        {
            parts.Add($"<p>Cancelled: {E(request.CancelReason)}</p>");
        }

        return string.Concat(parts);
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

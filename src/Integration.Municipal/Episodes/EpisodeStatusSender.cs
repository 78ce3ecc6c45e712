using Integration.Contracts;
using Integration.Fhir;
using Integration.Outbound.Ledger;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Episodes;
using Integration.Rehabilitation;

namespace Integration.Municipal.Episodes;

/// <summary>
/// Tells the hospital or GP that sent a plan or referral (and the citizen's GP, when known) each status change they care
/// about, as episode-status messages sent through the ACK ledger: tracked until acknowledged, resent when not.
/// </summary>
public sealed class EpisodeStatusSender(IEpisodeStatusFactory factory, IPartnerRegistry partners, SentMessageWriter sender, TimeProvider clock)
{
    public void Send(HubDbContext db, EpisodeRecord episode, IReadOnlyList<EpisodeStatusChange> changes, Guid? causedBy)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(episode);
        ArgumentNullException.ThrowIfNull(changes);
        var unit = partners.FindById(episode.ResponsibleUnit);
        if (unit is null || changes.Count == 0)
        {
            return; // a unit outside the registry cannot sign a message; the episode's history still has the change
        }

        var receivers = new[] { episode.SenderPartnerId, episode.GeneralPracticePartnerId }
            .Where(id => id is not null).Distinct().Select(id => partners.FindById(id!)).OfType<Partner>().ToList();
        foreach (var change in changes)
        {
            foreach (var receiver in receivers)
            {
                var built = factory.Create(new EpisodeStatusRequest
                {
                    From = Identity(unit),
                    FromEndpoint = Endpoint(unit),
                    To = Identity(receiver),
                    ToEndpoint = Endpoint(receiver),
                    CitizenCpr = episode.CitizenCpr,
                    EpisodeId = $"urn:uuid:{episode.Id}",
                    AnsweredRequest = new RequestIdentifier(episode.SourceIdentifier),
                    Status = Status(change.Kind),
                    PlannedStart = change.PlannedStart,
                    StartedOn = change.Kind == EpisodeStatusKind.Started ? DateOnly.FromDateTime(change.At.Date) : null,
                    EndedOn = change.Kind is EpisodeStatusKind.Completed or EpisodeStatusKind.Cancelled ? DateOnly.FromDateTime(change.At.Date) : null,
                    Outcome = change.Outcome is { } outcome ? Enum.Parse<EpisodeOutcome>(outcome.ToString()) : null,
                    CancelReason = change.Reason is { } reason && change.Kind == EpisodeStatusKind.Cancelled ? reason : null,
                    ResponsibleUnit = new MunicipalUnit(unit.Name, unit.Sor),
                    CreatedAt = clock.GetUtcNow(),
                });
                sender.Send(db, new OutgoingMessage
                {
                    MessageHeaderId = built.MessageHeaderId,
                    BundleId = built.BundleId,
                    MessageType = MessageTypes.EpisodeStatus,
                    ReceiverPartnerId = receiver.Id,
                    SourceMessageId = causedBy,
                    CitizenKey = episode.CitizenKey,
                    FhirJson = built.FhirJson,
                });
            }
        }
    }

    private static EpisodeStatus Status(EpisodeStatusKind kind) => kind switch
    {
        EpisodeStatusKind.Received => EpisodeStatus.Received,
        EpisodeStatusKind.StartPlanned => EpisodeStatus.StartPlanned,
        EpisodeStatusKind.Started => EpisodeStatus.Started,
        EpisodeStatusKind.Completed => EpisodeStatus.Completed,
        EpisodeStatusKind.Cancelled => EpisodeStatus.Cancelled,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static OrganizationIdentity Identity(Partner partner) => new(partner.Ean, partner.Sor, partner.Name);

    /// <summary>MedCom names a party's endpoint by its SOR code.</summary>
    private static string Endpoint(Partner partner) => $"https://sor2.sum.dsdn.dk/#id={partner.Sor ?? partner.Id}";
}

using Integration.Persistence;
using Integration.Persistence.Stays;
using Integration.Privacy;
using Integration.Rehabilitation;
using Microsoft.EntityFrameworkCore;

namespace Integration.Municipal.Episodes;

/// <summary>The municipality's live pipeline: who is admitted now, who is about to be discharged, which plans wait to start
/// (with their deadline), which are overdue. Citizens are shown masked (birth date only).</summary>
public sealed record Worklist(
    string MunicipalityCode,
    DateOnly Today,
    IReadOnlyList<AdmittedCitizen> AdmittedNow,
    IReadOnlyList<WaitingEpisode> ExpectedDischarges,
    IReadOnlyList<WaitingEpisode> WaitingToStart,
    IReadOnlyList<WaitingEpisode> Overdue);

public sealed record AdmittedCitizen(string Citizen, string StayIdentifier, string Hospital, string? Ward, string State, DateTimeOffset? Since);

public sealed record WaitingEpisode(
    Guid EpisodeId, string Citizen, string Source, string? Level, string? Programme, string ResponsibleUnit, string State,
    DateOnly? DischargeDate, DateOnly? StartDeadline, DateOnly? PlannedStart, bool FreeChoiceOffered, string? PostponementReason);

/// <summary>What municipal leaders follow (DOMAIN.md): episodes active and closed, time from discharge to start, the share
/// started within 7 days, goals met, readmissions within 30 days of a discharge.</summary>
public sealed record KeyFigures(
    string MunicipalityCode,
    int ActiveEpisodes,
    int ClosedEpisodes,
    double? AverageDaysFromDischargeToStart,
    double? MedianDaysFromDischargeToStart,
    double? ShareStartedWithin7Days,
    int GoalsMet,
    int GoalsEvaluated,
    int Readmissions30Days,
    int Discharges);

public sealed class MunicipalWorklist(IDbContextFactory<HubDbContext> dbFactory, TimeProvider clock)
{
    private static readonly string[] Waiting = [nameof(EpisodeState.Referred), nameof(EpisodeState.Planned)];
    private static readonly StayState[] InHospital = [StayState.Admitted, StayState.AcuteAmbulant, StayState.OnLeave];

    public async Task<Worklist> ForAsync(string municipalityCode, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stays = await db.HospitalStays.AsNoTracking()
            .Where(s => s.MunicipalityCode == municipalityCode && InHospital.Contains(s.State))
            .OrderBy(s => s.StartedAt)
            .ToListAsync(cancellationToken);
        var waiting = await db.Episodes.AsNoTracking()
            .Where(e => e.MunicipalityCode == municipalityCode && Waiting.Contains(e.State))
            .OrderBy(e => e.StartDeadline)
            .ToListAsync(cancellationToken);

        var waitingViews = waiting.Select(e => new WaitingEpisode(
            e.Id, Cpr.Mask(e.CitizenCpr), e.Source, e.Level, e.Programme, e.ResponsibleUnit, e.State,
            e.DischargeDate, e.StartDeadline, e.PlannedStart, e.FreeChoiceOffered, e.PostponementReason)).ToList();
        return new Worklist(
            municipalityCode,
            today,
            [.. stays.Select(s => new AdmittedCitizen(Cpr.Mask(s.CitizenCpr), s.StayIdentifier, s.HospitalName, s.WardName, s.State.ToString(), s.StartedAt))],
            [.. waitingViews.Where(e => e.DischargeDate >= today)],
            waitingViews,
            [.. waitingViews.Where(e => IsOverdue(e, today))]);
    }

    public async Task<KeyFigures> KeyFiguresAsync(string municipalityCode, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var episodes = await db.Episodes.AsNoTracking().Where(e => e.MunicipalityCode == municipalityCode).ToListAsync(cancellationToken);
        var stays = await db.HospitalStays.AsNoTracking()
            .Where(s => s.MunicipalityCode == municipalityCode && s.State != StayState.Cancelled)
            .Select(s => new { s.CitizenKey, s.StartedAt, s.EndedAt, s.State })
            .ToListAsync(cancellationToken);

        var startDelays = episodes
            .Where(e => e.DischargeDate is not null && e.StartedAt is not null)
            .Select(e => DateOnly.FromDateTime(e.StartedAt!.Value.Date).DayNumber - e.DischargeDate!.Value.DayNumber)
            .Order()
            .ToList();
        var goals = episodes.SelectMany(e => EpisodeRecords.ToSnapshot(e).Goals).ToList();
        var discharges = stays.Where(s => s.State == StayState.Discharged && s.EndedAt is not null).ToList();
        var readmissions = discharges.Count(d => stays.Any(s =>
            s.CitizenKey == d.CitizenKey && s.StartedAt > d.EndedAt && s.StartedAt <= d.EndedAt!.Value.AddDays(30)));

        return new KeyFigures(
            municipalityCode,
            ActiveEpisodes: episodes.Count(e => e.State is nameof(EpisodeState.Active) or nameof(EpisodeState.Paused)),
            ClosedEpisodes: episodes.Count(e => e.State is nameof(EpisodeState.Completed) or nameof(EpisodeState.Cancelled)),
            AverageDaysFromDischargeToStart: startDelays.Count == 0 ? null : startDelays.Average(),
            MedianDaysFromDischargeToStart: startDelays.Count == 0 ? null
                : startDelays.Count % 2 == 1 ? startDelays[startDelays.Count / 2]
                : (startDelays[(startDelays.Count / 2) - 1] + startDelays[startDelays.Count / 2]) / 2.0,
            ShareStartedWithin7Days: startDelays.Count == 0 ? null
                : (double)startDelays.Count(d => d <= RehabilitationEpisode.StartWithinDays) / startDelays.Count,
            GoalsMet: goals.Count(g => g.Status == GoalStatus.Met),
            GoalsEvaluated: goals.Count(g => g.Status is GoalStatus.Met or GoalStatus.NotMet),
            Readmissions30Days: readmissions,
            Discharges: discharges.Count);
    }

    private static bool IsOverdue(WaitingEpisode episode, DateOnly today) =>
        (episode.StartDeadline is { } deadline && today > deadline && (episode.PlannedStart is null || episode.PlannedStart > deadline || today > episode.PlannedStart))
        || (episode.PlannedStart is { } planned && today > planned);
}

using Integration.Municipal.Episodes;
using Integration.Persistence.Stays;
using Integration.Rehabilitation;
using Integration.Testing;

namespace Integration.Municipal.Tests;

[Trait("Category", "Unit")]
public sealed class MunicipalWorklistTests : IDisposable
{
    private static readonly DateTimeOffset Today = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryHubDatabase _database = new();
    private readonly ManualClock _clock = new(Today);
    private int _citizens;

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GivenStaysAndEpisodes_WhenTheWorklistIsRead_ThenAdmittedWaitingAndOverdueAreListedWithMaskedCitizens()
    {
        await AddStayAsync(StayState.Admitted, Today.AddDays(-2), null);
        await AddStayAsync(StayState.Discharged, Today.AddDays(-10), Today.AddDays(-5));
        var inTime = await AddEpisodeAsync(discharge: new DateOnly(2026, 11, 18), e => e.PlanStart(new DateOnly(2026, 11, 24), Today));
        var overdue = await AddEpisodeAsync(discharge: new DateOnly(2026, 11, 10), _ => { });
        var tomorrow = await AddEpisodeAsync(discharge: new DateOnly(2026, 11, 21), _ => { });
        await AddEpisodeAsync(discharge: new DateOnly(2026, 11, 1), e => e.Start(Today.AddDays(-12))); // started: not waiting

        var worklist = await new MunicipalWorklist(_database, _clock).ForAsync("163", CancellationToken.None);

        var admitted = Assert.Single(worklist.AdmittedNow);
        Assert.EndsWith("-****", admitted.Citizen, StringComparison.Ordinal);
        Assert.Equal([overdue, inTime, tomorrow], worklist.WaitingToStart.Select(w => w.EpisodeId));
        Assert.Equal([overdue], worklist.Overdue.Select(w => w.EpisodeId));
        Assert.Equal([tomorrow], worklist.ExpectedDischarges.Select(w => w.EpisodeId));
        Assert.Equal(new DateOnly(2026, 11, 17), worklist.Overdue[0].StartDeadline);
        Assert.Empty((await new MunicipalWorklist(_database, _clock).ForAsync("851", CancellationToken.None)).WaitingToStart);
    }

    [Fact]
    public async Task GivenEpisodesAndStays_WhenKeyFiguresAreRead_ThenCountsDelaysGoalsAndReadmissionsAreRight()
    {
        await AddEpisodeAsync(new DateOnly(2026, 10, 1), e => e.Start(new DateTimeOffset(2026, 10, 5, 9, 0, 0, TimeSpan.Zero))); // 4 days
        await AddEpisodeAsync(new DateOnly(2026, 10, 1), e => e.Start(new DateTimeOffset(2026, 10, 11, 9, 0, 0, TimeSpan.Zero))); // 10 days
        await AddEpisodeAsync(new DateOnly(2026, 10, 1), e =>
        {
            e.Start(new DateTimeOffset(2026, 10, 7, 9, 0, 0, TimeSpan.Zero)); // 6 days
            var goal = e.DefineGoal("walk", Today);
            e.EvaluateGoal(goal, GoalStatus.Met, "yes", Today);
            e.EvaluateGoal(e.DefineGoal("stairs", Today), GoalStatus.NotMet, "no", Today);
            e.RecordRevisitation(Today, RevisitationOutcome.SelfReliant);
            e.Complete(Today);
        });
        var citizen = await AddStayAsync(StayState.Discharged, Today.AddDays(-40), Today.AddDays(-30));
        await AddStayAsync(StayState.Admitted, Today.AddDays(-20), null, citizen); // back within 30 days
        await AddStayAsync(StayState.Discharged, Today.AddDays(-90), Today.AddDays(-80));

        var figures = await new MunicipalWorklist(_database, _clock).KeyFiguresAsync("163", CancellationToken.None);

        Assert.Equal((2, 1), (figures.ActiveEpisodes, figures.ClosedEpisodes));
        Assert.Equal(20.0 / 3, figures.AverageDaysFromDischargeToStart!.Value, precision: 6);
        Assert.Equal(6, figures.MedianDaysFromDischargeToStart);
        Assert.Equal(2.0 / 3, figures.ShareStartedWithin7Days!.Value, precision: 6);
        Assert.Equal((1, 2), (figures.GoalsMet, figures.GoalsEvaluated));
        Assert.Equal((1, 2), (figures.Readmissions30Days, figures.Discharges));
    }

    [Fact]
    public async Task GivenAWaitingEpisodePastItsDeadline_WhenDeadlinesAreChecked_ThenFlaggedForFreeChoiceOnce()
    {
        var overdue = await AddEpisodeAsync(new DateOnly(2026, 11, 10), _ => { }); // deadline 17 Nov, today 20 Nov
        var inTime = await AddEpisodeAsync(new DateOnly(2026, 11, 18), _ => { });
        var actions = new EpisodeActions(_database, new EpisodeStatusSender(Integration.Fhir.FhirServices.EpisodeStatusFactory,
            new Integration.Partners.PartnerRegistry([]), new Integration.Outbound.Ledger.SentMessageWriter(new Integration.Outbound.Ledger.LedgerOptions(), _clock), _clock),
            _clock);

        Assert.Equal(1, await actions.CheckStartDeadlinesAsync(CancellationToken.None));
        Assert.Equal(0, await actions.CheckStartDeadlinesAsync(CancellationToken.None));

        await using var db = _database.CreateDbContext();
        Assert.True((await db.Episodes.FindAsync(overdue))!.FreeChoiceOffered);
        Assert.False((await db.Episodes.FindAsync(inTime))!.FreeChoiceOffered);
    }

    private async Task<Guid> AddEpisodeAsync(DateOnly discharge, Action<RehabilitationEpisode> act)
    {
        var episode = RehabilitationEpisode.Open(new EpisodeCause
        {
            Source = EpisodeSource.TrainingPlan, SourceIdentifier = Guid.NewGuid().ToString(), MunicipalityCode = "163",
            CitizenKey = $"citizen-{++_citizens}", SenderPartnerId = "herlev-gentofte-hjerteafdeling",
            Level = TrainingLevel.AlmenBasal, DischargeDate = discharge,
        }, "herlev-traeningsenhed", Today.AddDays(-30));
        act(episode);
        await using var db = _database.CreateDbContext();
        db.Episodes.Add(EpisodeRecords.NewRecord(episode.ToSnapshot(), "0101909999", Today));
        await db.SaveChangesAsync();
        return episode.Id;
    }

    private async Task<string> AddStayAsync(StayState state, DateTimeOffset started, DateTimeOffset? ended, string? citizenKey = null)
    {
        citizenKey ??= $"citizen-{++_citizens}";
        await using var db = _database.CreateDbContext();
        db.HospitalStays.Add(new HospitalStay
        {
            Id = Guid.NewGuid(), MunicipalityCode = "163", CitizenKey = citizenKey, CitizenCpr = "0101909999",
            StayIdentifier = Guid.NewGuid().ToString(), HospitalName = "Herlev", EncounterClass = "IMP",
            State = state, StartedAt = started, EndedAt = ended, UpdatedAt = Today,
        });
        await db.SaveChangesAsync();
        return citizenKey;
    }
}

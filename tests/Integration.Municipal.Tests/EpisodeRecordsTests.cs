using Integration.Municipal.Episodes;
using Integration.Rehabilitation;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;

namespace Integration.Municipal.Tests;

[Trait("Category", "Unit")]
public sealed class EpisodeRecordsTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 14, 0, 0, TimeSpan.FromHours(1));
    private readonly InMemoryHubDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GivenAnEpisodeWithEverything_WhenStoredAndLoaded_ThenItsSnapshotIsTheSame()
    {
        var episode = RehabilitationEpisode.Open(new EpisodeCause
        {
            Source = EpisodeSource.TrainingPlan, SourceIdentifier = "plan-7", MunicipalityCode = "163", CitizenKey = "k",
            SenderPartnerId = "herlev-gentofte-hjerteafdeling", GeneralPracticePartnerId = "arden-laegehus",
            Level = TrainingLevel.Specialiseret, DischargeDate = new DateOnly(2026, 11, 2),
        }, "herlev-traeningsenhed", At);
        episode.PlanStart(new DateOnly(2026, 11, 12), At, "waiting for an aid");
        episode.Start(At.AddDays(10));
        episode.DefineGoal("walk to the shop", At.AddDays(10));
        episode.AddEffort("training", LegalBasis.Sundhedsloven140, At.AddDays(10));
        episode.RecordRevisitation(At.AddDays(80), RevisitationOutcome.MaintenanceTraining, "weekly group");
        episode.Complete(At.AddDays(84));
        var snapshot = episode.ToSnapshot();

        await using (var db = _database.CreateDbContext())
        {
            db.Episodes.Add(EpisodeRecords.NewRecord(snapshot, "0101909999", At));
            await db.SaveChangesAsync();
        }

        await using var read = _database.CreateDbContext();
        var record = await read.Episodes.SingleAsync();
        Assert.Equivalent(snapshot, EpisodeRecords.ToSnapshot(record), strict: true);
        Assert.Equal(new DateOnly(2026, 11, 9), record.StartDeadline);
        Assert.Equal("Completed", record.State);
        Assert.True(record.FreeChoiceOffered);
    }

    [Fact]
    public async Task GivenAStoredEpisode_WhenItsCauseIsRevised_ThenTheRowHoldsTheRevisedLevelDischargeAndGp()
    {
        var cause = new EpisodeCause
        {
            Source = EpisodeSource.TrainingPlan, SourceIdentifier = "plan-8", MunicipalityCode = "163", CitizenKey = "k",
            SenderPartnerId = "herlev-gentofte-hjerteafdeling", Level = TrainingLevel.AlmenBasal, DischargeDate = new DateOnly(2026, 11, 2),
        };
        var episode = RehabilitationEpisode.Open(cause, "herlev-plejecenter", At);
        var record = EpisodeRecords.NewRecord(episode.ToSnapshot(), "0101909999", At);

        episode.ReviseCause(cause with
        {
            Level = TrainingLevel.AlmenAvanceret, DischargeDate = new DateOnly(2026, 11, 4), GeneralPracticePartnerId = "arden-laegehus",
        }, At.AddDays(1));
        EpisodeRecords.Update(record, episode.ToSnapshot(), At.AddDays(1));

        Assert.Equal("AlmenAvanceret", record.Level);
        Assert.Equal(new DateOnly(2026, 11, 4), record.DischargeDate);
        Assert.Equal(new DateOnly(2026, 11, 11), record.StartDeadline);
        Assert.Equal("arden-laegehus", record.GeneralPracticePartnerId);
    }
}

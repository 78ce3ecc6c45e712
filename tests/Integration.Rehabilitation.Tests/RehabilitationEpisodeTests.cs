namespace Integration.Rehabilitation.Tests;

[Trait("Category", "Unit")]
public sealed class RehabilitationEpisodeTests
{
    private static readonly DateOnly Discharge = new(2026, 11, 2);
    private static readonly DateTimeOffset Received = new(2026, 11, 2, 14, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public void GivenATrainingPlan_WhenOpened_ThenReferredWithADeadlineSevenDaysAfterDischargeAndReceivedIsPending()
    {
        var episode = Open();

        Assert.Equal(EpisodeState.Referred, episode.State);
        Assert.Equal(new DateOnly(2026, 11, 9), episode.StartDeadline);
        var change = Assert.Single(episode.PendingStatusChanges);
        Assert.Equal(EpisodeStatusKind.Received, change.Kind);
    }

    [Fact]
    public void GivenTheWholeCourse_WhenRunInOrder_ThenEachStatusTheSenderCaresAboutIsPendingOnce()
    {
        var episode = Open();
        episode.PlanStart(Discharge.AddDays(5), Received.AddHours(2));
        episode.Start(Received.AddDays(5));
        episode.RecordRevisitation(Received.AddDays(80), RevisitationOutcome.ReducedHelp);
        episode.Complete(Received.AddDays(84));

        Assert.Equal(
            [EpisodeStatusKind.Received, EpisodeStatusKind.StartPlanned, EpisodeStatusKind.Started, EpisodeStatusKind.Completed],
            episode.TakePendingStatusChanges().Select(c => c.Kind));
        Assert.Empty(episode.PendingStatusChanges);
        Assert.Equal(EpisodeState.Completed, episode.State);
        Assert.False(episode.FreeChoiceOffered);
    }

    [Fact]
    public void GivenAStartPlannedInTime_WhenPlanned_ThenThePlannedDateGoesBackAndNoFreeChoice()
    {
        var episode = Open();

        episode.PlanStart(Discharge.AddDays(7), Received);

        var planned = episode.PendingStatusChanges[^1];
        Assert.Equal(EpisodeStatusKind.StartPlanned, planned.Kind);
        Assert.Equal(Discharge.AddDays(7), planned.PlannedStart);
        Assert.False(episode.FreeChoiceOffered);
        Assert.Null(episode.PostponementReason);
    }

    [Fact]
    public void GivenAStartAfterTheDeadline_WhenPlannedWithoutAReason_ThenRefused()
    {
        var episode = Open();

        var refused = Assert.Throws<EpisodeRuleException>(() => episode.PlanStart(Discharge.AddDays(8), Received));

        Assert.Contains("needs a reason", refused.Message, StringComparison.Ordinal);
        Assert.Equal(EpisodeState.Referred, episode.State);
    }

    [Fact]
    public void GivenAStartAfterTheDeadline_WhenPlannedWithAReason_ThenTheReasonIsKeptAndFreeChoiceIsOffered()
    {
        var episode = Open();

        episode.PlanStart(Discharge.AddDays(12), Received, "the citizen is on holiday");

        Assert.True(episode.FreeChoiceOffered);
        Assert.Equal("the citizen is on holiday", episode.PostponementReason);
        Assert.Equal("the citizen is on holiday", episode.PendingStatusChanges[^1].Reason);
        Assert.Contains(episode.History, e => e.Kind == "free-choice");
    }

    [Theory]
    [InlineData(7, false)] // the deadline day itself: still in time
    [InlineData(8, true)]
    public void GivenNoStartPlanned_WhenTheDeadlineIsChecked_ThenFlaggedOnlyAfterTheDeadline(int daysAfterDischarge, bool flagged)
    {
        var episode = Open();

        Assert.Equal(flagged, episode.CheckStartDeadline(Discharge.AddDays(daysAfterDischarge), Received));
        Assert.Equal(flagged, episode.FreeChoiceOffered);
    }

    [Fact]
    public void GivenAStartPlannedInTimeButNotYetDue_WhenTheDeadlineHasPassed_ThenNotFlagged()
    {
        var episode = Open();
        episode.PlanStart(Discharge.AddDays(7), Received);

        Assert.False(episode.CheckStartDeadline(Discharge.AddDays(7), Received));
        Assert.True(episode.CheckStartDeadline(Discharge.AddDays(8), Received)); // planned day passed without a start
    }

    [Fact]
    public void GivenAReferralWithoutDischarge_WhenTheDeadlineIsChecked_ThenThereIsNoDeadline()
    {
        var episode = RehabilitationEpisode.Open(Cause() with { Source = EpisodeSource.Referral, DischargeDate = null, Level = null, Programme = ReferralProgramme.Diabetes }, "unit", Received);

        Assert.Null(episode.StartDeadline);
        Assert.False(episode.CheckStartDeadline(Discharge.AddDays(100), Received));
    }

    [Fact]
    public void GivenAnActiveEpisode_WhenReadmittedAndDischarged_ThenPausedAndResumed()
    {
        var episode = Started();

        Assert.True(episode.PauseForReadmission(Received.AddDays(10)));
        Assert.Equal(EpisodeState.Paused, episode.State);
        Assert.False(episode.PauseForReadmission(Received.AddDays(11))); // already paused
        Assert.True(episode.ResumeAfterDischarge(Received.AddDays(14)));
        Assert.Equal(EpisodeState.Active, episode.State);
    }

    [Fact]
    public void GivenAPlannedEpisode_WhenReadmitted_ThenNotPaused()
    {
        var episode = Open();
        episode.PlanStart(Discharge.AddDays(5), Received);

        Assert.False(episode.PauseForReadmission(Received.AddDays(1)));
        Assert.Equal(EpisodeState.Planned, episode.State);
    }

    [Fact]
    public void GivenAnActiveEpisode_WhenCompletedWithoutRevisitation_ThenRefused()
    {
        var episode = Started();

        Assert.Throws<EpisodeRuleException>(() => episode.Complete(Received.AddDays(84)));
        Assert.Equal(EpisodeState.Active, episode.State);
    }

    [Fact]
    public void GivenAnActiveEpisode_WhenTheCitizenDies_ThenCompletedWithOutcomeDied()
    {
        var episode = Started();
        episode.TakePendingStatusChanges();

        Assert.True(episode.EndByDeath(Received.AddDays(20)));

        Assert.Equal(EpisodeState.Completed, episode.State);
        Assert.Equal(RevisitationOutcome.Died, episode.Revisitation!.Outcome);
        var change = Assert.Single(episode.PendingStatusChanges);
        Assert.Equal((EpisodeStatusKind.Completed, RevisitationOutcome.Died), (change.Kind, change.Outcome!.Value));
        Assert.False(episode.EndByDeath(Received.AddDays(21)));
    }

    [Fact]
    public void GivenAnEpisodeNotStarted_WhenTheCitizenDies_ThenCancelledWithTheReason()
    {
        var episode = Open();

        episode.EndByDeath(Received.AddDays(1));

        Assert.Equal(EpisodeState.Cancelled, episode.State);
        Assert.Equal(EpisodeStatusKind.Cancelled, episode.PendingStatusChanges[^1].Kind);
    }

    [Fact]
    public void GivenACancelledEpisode_WhenAnythingElseHappens_ThenRefused()
    {
        var episode = Open();
        episode.Cancel(Received, "sent in error");

        Assert.Throws<EpisodeRuleException>(() => episode.Start(Received));
        Assert.Throws<EpisodeRuleException>(() => episode.PlanStart(Discharge, Received));
        Assert.Throws<EpisodeRuleException>(() => episode.Cancel(Received, "again"));
        Assert.Throws<EpisodeRuleException>(() => episode.DefineGoal("walk", Received));
    }

    [Fact]
    public void GivenATwelveWeekCourse_WhenStarted_ThenEvaluationIn4WeeksAndEndIn12()
    {
        var episode = Started();

        Assert.Equal(episode.StartedAt + TimeSpan.FromDays(28), episode.NextEvaluation);
        Assert.Equal(episode.StartedAt + TimeSpan.FromDays(84), episode.PlannedEnd);
        episode.Evaluate(episode.NextEvaluation!.Value, "walks 200 m with a rollator");
        Assert.Equal(episode.StartedAt + TimeSpan.FromDays(56), episode.NextEvaluation);
    }

    [Fact]
    public void GivenASixPlusSixCourse_WhenEvaluatedAndExtended_ThenItEndsAfter12Weeks()
    {
        var episode = Open();
        episode.PlanStart(Discharge.AddDays(3), Received, length: CourseLength.SixPlusSix);
        episode.Start(Received.AddDays(3));
        Assert.Equal(episode.StartedAt + TimeSpan.FromDays(42), episode.PlannedEnd);

        episode.Evaluate(Received.AddDays(45), "progress, not yet at the goal", extendToTwelveWeeks: true);

        Assert.Equal(CourseLength.TwelveWeeks, episode.Length);
        Assert.Equal(episode.StartedAt + TimeSpan.FromDays(84), episode.PlannedEnd);
        Assert.Throws<EpisodeRuleException>(() => episode.Evaluate(Received.AddDays(50), "again", extendToTwelveWeeks: true));
    }

    [Fact]
    public void GivenGoals_WhenDefinedEvaluatedAndRedefined_ThenEachKeepsItsNumberAndLatestStatus()
    {
        var episode = Started();
        var walk = episode.DefineGoal("walk to the supermarket", Received);
        var shower = episode.DefineGoal("shower without help", Received);

        episode.EvaluateGoal(walk, GoalStatus.Met, "done in week 6", Received.AddDays(40));
        episode.RedefineGoal(shower, "shower with a stool", Received.AddDays(40));

        Assert.Equal([(1, GoalStatus.Met), (2, GoalStatus.Redefined)], episode.Goals.Select(g => (g.Number, g.Status)));
        Assert.Equal("shower with a stool", episode.Goals[1].Text);
        Assert.Throws<EpisodeRuleException>(() => episode.EvaluateGoal(3, GoalStatus.Met, "no such goal", Received));
        Assert.Throws<EpisodeRuleException>(() => episode.EvaluateGoal(walk, GoalStatus.Defined, "not an evaluation", Received));
    }

    [Fact]
    public void GivenEfforts_WhenAdded_ThenEachKeepsItsLegalBasis()
    {
        var episode = Started();

        episode.AddEffort("training twice a week", LegalBasis.Sundhedsloven140, Received);
        episode.AddEffort("help with bathing", LegalBasis.Serviceloven83, Received);

        Assert.Equal([LegalBasis.Sundhedsloven140, LegalBasis.Serviceloven83], episode.Efforts.Select(e => e.LegalBasis));
    }

    private static RehabilitationEpisode Started()
    {
        var episode = Open();
        episode.Start(Received.AddDays(2));
        return episode;
    }

    private static RehabilitationEpisode Open() => RehabilitationEpisode.Open(Cause(), "herlev-traeningsenhed", Received);

    private static EpisodeCause Cause() => new()
    {
        Source = EpisodeSource.TrainingPlan,
        SourceIdentifier = "plan-1",
        MunicipalityCode = "163",
        CitizenKey = "citizen-key",
        SenderPartnerId = "herlev-gentofte-hjerteafdeling",
        Level = TrainingLevel.AlmenAvanceret,
        DischargeDate = Discharge,
    };
}

[Trait("Category", "Unit")]
public sealed class EpisodeSnapshotTests
{
    [Fact]
    public void GivenAnEpisodeWithGoalsEffortsAndHistory_WhenSnapshottedAndRestored_ThenTheRulesContinueFromTheSameState()
    {
        var at = new DateTimeOffset(2026, 11, 2, 14, 0, 0, TimeSpan.FromHours(1));
        var episode = RehabilitationEpisode.Open(new EpisodeCause
        {
            Source = EpisodeSource.TrainingPlan, SourceIdentifier = "plan-1", MunicipalityCode = "163", CitizenKey = "k",
            SenderPartnerId = "hospital", DischargeDate = new DateOnly(2026, 11, 2), Level = TrainingLevel.AlmenBasal,
        }, "unit", at);
        episode.PlanStart(new DateOnly(2026, 11, 12), at, "waiting for an aid", CourseLength.SixPlusSix);
        episode.Start(at.AddDays(10));
        episode.DefineGoal("walk", at.AddDays(10));
        episode.AddEffort("training", LegalBasis.Sundhedsloven140, at.AddDays(10));

        var restored = RehabilitationEpisode.Restore(episode.ToSnapshot());

        Assert.Equivalent(episode.ToSnapshot(), restored.ToSnapshot(), strict: true);
        Assert.Empty(restored.PendingStatusChanges);
        restored.Evaluate(at.AddDays(52), "better", extendToTwelveWeeks: true);
        Assert.Equal(CourseLength.TwelveWeeks, restored.Length);
    }
}

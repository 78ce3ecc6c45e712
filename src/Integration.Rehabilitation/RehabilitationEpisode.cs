using Integration.Ids;
namespace Integration.Rehabilitation;

/// <summary>
/// A municipal rehabilitation episode (rehabiliteringsforløb): "a goal-directed, time-limited collaboration between the
/// citizen, relatives and professionals". It holds the rules; handlers load it, call one operation, store it, and send
/// the <see cref="PendingStatusChanges"/> to the hospital or GP that sent the plan or referral.
/// An operation that the rules forbid throws <see cref="EpisodeRuleException"/> and changes nothing.
/// </summary>
public sealed class RehabilitationEpisode
{
    /// <summary>Training after discharge must be offered to start within 7 days of discharge (Sundhedsloven §140).</summary>
    public const int StartWithinDays = 7;
    /// <summary>Screening / evaluation every 4 weeks.</summary>
    public static readonly TimeSpan EvaluationInterval = TimeSpan.FromDays(28);

    private readonly List<EpisodeGoal> _goals = [];
    private readonly List<Effort> _efforts = [];
    private readonly List<EpisodeEvent> _history = [];
    private readonly List<EpisodeStatusChange> _pending = [];

    private RehabilitationEpisode(Guid id, EpisodeCause cause, string responsibleUnit, DateTimeOffset receivedAt)
    {
        Id = id;
        Cause = cause;
        ResponsibleUnit = responsibleUnit;
        ReceivedAt = receivedAt;
        State = EpisodeState.Referred;
    }

    public Guid Id { get; }
    public EpisodeCause Cause { get; private set; }
    public EpisodeState State { get; private set; }
    public string ResponsibleUnit { get; private set; }
    /// <summary>The forløbsansvarlig, when named.</summary>
    public string? Coordinator { get; private set; }
    public CourseLength Length { get; private set; } = CourseLength.TwelveWeeks;
    public DateTimeOffset ReceivedAt { get; }
    /// <summary>Last day on which training after discharge may start (discharge + 7 days); null when the cause has no such rule.</summary>
    public DateOnly? StartDeadline => Cause.DischargeDate?.AddDays(StartWithinDays);
    public DateOnly? PlannedStart { get; private set; }
    /// <summary>Why the start is later than the deadline (required when it is).</summary>
    public string? PostponementReason { get; private set; }
    /// <summary>The start deadline cannot be met: the citizen may choose another provider (frit valg).</summary>
    public bool FreeChoiceOffered { get; private set; }
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? NextEvaluation { get; private set; }
    public DateTimeOffset? PlannedEnd { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public Revisitation? Revisitation { get; private set; }
    public string? CancellationReason { get; private set; }
    public IReadOnlyList<EpisodeGoal> Goals => _goals;
    public IReadOnlyList<Effort> Efforts => _efforts;
    public IReadOnlyList<EpisodeEvent> History => _history;
    /// <summary>Status changes not yet sent to the plan's or referral's sender; <see cref="TakePendingStatusChanges"/> empties it.</summary>
    public IReadOnlyList<EpisodeStatusChange> PendingStatusChanges => _pending;
    public bool IsEnded => State is EpisodeState.Completed or EpisodeState.Cancelled;

    /// <summary>A plan or referral arrived: the episode is referred, and its sender is told it was received.</summary>
    public static RehabilitationEpisode Open(EpisodeCause cause, string responsibleUnit, DateTimeOffset at, Guid? id = null)
    {
        ArgumentNullException.ThrowIfNull(cause);
        ArgumentException.ThrowIfNullOrWhiteSpace(responsibleUnit);
        var episode = new RehabilitationEpisode(id ?? TimeOrderedId.New(), cause, responsibleUnit, at);
        episode.Record(at, "received", $"{cause.Source} {cause.SourceIdentifier}; responsible unit {responsibleUnit}");
        episode._pending.Add(new EpisodeStatusChange(EpisodeStatusKind.Received, at));
        return episode;
    }

    /// <summary>A corrected plan or referral (RE_) replaces the cause (e.g. another discharge date or level) until the episode starts.</summary>
    public void ReviseCause(EpisodeCause revised, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(revised);
        Require(State is EpisodeState.Referred or EpisodeState.Planned, $"a started or ended episode keeps its cause (it is {State})");
        Require(revised.SourceIdentifier == Cause.SourceIdentifier && revised.CitizenKey == Cause.CitizenKey,
            "a revision replaces the same plan or referral for the same citizen");
        Cause = revised;
        Record(at, "revised", $"{revised.Source} {revised.SourceIdentifier}");
    }

    public void AssignCoordinator(string coordinator, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(coordinator);
        Require(!IsEnded, "an ended episode gets no coordinator");
        Coordinator = coordinator;
        Record(at, "coordinator", coordinator);
    }

    /// <summary>Plans the first contact. A start after the 7-day deadline needs a reason, and the citizen is offered free choice.</summary>
    public void PlanStart(DateOnly start, DateTimeOffset at, string? postponementReason = null, CourseLength length = CourseLength.TwelveWeeks)
    {
        Require(State is EpisodeState.Referred or EpisodeState.Planned, $"a start can be planned only before the episode starts (it is {State})");
        if (StartDeadline is { } deadline && start > deadline)
        {
            Require(!string.IsNullOrWhiteSpace(postponementReason), $"a start after the deadline {deadline:yyyy-MM-dd} needs a reason");
            PostponementReason = postponementReason;
            OfferFreeChoice(at, $"planned start {start:yyyy-MM-dd} is after the deadline {deadline:yyyy-MM-dd}");
        }

        PlannedStart = start;
        Length = length;
        State = EpisodeState.Planned;
        Record(at, "start-planned", $"{start:yyyy-MM-dd}{(PostponementReason is null ? "" : $"; postponed: {PostponementReason}")}");
        _pending.Add(new EpisodeStatusChange(EpisodeStatusKind.StartPlanned, at, PlannedStart: start, Reason: PostponementReason));
    }

    /// <summary>Called as time passes: flags the episode when its start deadline has passed without a start in time.</summary>
    public bool CheckStartDeadline(DateOnly today, DateTimeOffset at)
    {
        if (IsEnded || StartedAt is not null || FreeChoiceOffered || StartDeadline is not { } deadline || today <= deadline)
        {
            return false;
        }

        if (PlannedStart is { } planned && planned <= deadline && today <= planned)
        {
            return false; // planned in time and not yet due
        }

        OfferFreeChoice(at, $"no start by the deadline {deadline:yyyy-MM-dd}");
        return true;
    }

    public void Start(DateTimeOffset at)
    {
        Require(State is EpisodeState.Referred or EpisodeState.Planned, $"only a referred or planned episode can start (it is {State})");
        StartedAt = at;
        State = EpisodeState.Active;
        NextEvaluation = at + EvaluationInterval;
        PlannedEnd = at + TimeSpan.FromDays(Length == CourseLength.SixPlusSix ? 42 : 84);
        Record(at, "started", $"{Length}; first evaluation {NextEvaluation:yyyy-MM-dd}");
        _pending.Add(new EpisodeStatusChange(EpisodeStatusKind.Started, at));
    }

    /// <summary>The 4-weekly evaluation. A 6+6 course evaluated at its end may be extended to 12 weeks.</summary>
    public void Evaluate(DateTimeOffset at, string note, bool extendToTwelveWeeks = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(note);
        Require(State is EpisodeState.Active or EpisodeState.Paused, $"only a started episode is evaluated (it is {State})");
        if (extendToTwelveWeeks)
        {
            Require(Length == CourseLength.SixPlusSix, "only a 6+6 course is extended");
            Length = CourseLength.TwelveWeeks;
            PlannedEnd = StartedAt!.Value + TimeSpan.FromDays(84);
        }

        NextEvaluation = at + EvaluationInterval;
        Record(at, "evaluated", extendToTwelveWeeks ? $"{note}; extended to 12 weeks" : note);
    }

    /// <summary>A readmission (STIN/STAA) pauses an active episode.</summary>
    public bool PauseForReadmission(DateTimeOffset at)
    {
        if (State != EpisodeState.Active)
        {
            return false;
        }

        State = EpisodeState.Paused;
        Record(at, "paused", "readmitted");
        return true;
    }

    /// <summary>A discharge resumes a paused episode.</summary>
    public bool ResumeAfterDischarge(DateTimeOffset at)
    {
        if (State != EpisodeState.Paused)
        {
            return false;
        }

        State = EpisodeState.Active;
        Record(at, "resumed", "discharged");
        return true;
    }

    public void RecordRevisitation(DateTimeOffset at, RevisitationOutcome outcome, string? note = null)
    {
        Require(State is EpisodeState.Active or EpisodeState.Paused, $"revisitation belongs to a started episode (it is {State})");
        Revisitation = new Revisitation(at, outcome, note);
        Record(at, "revisitation", outcome.ToString());
    }

    /// <summary>Completion needs a revisitation first: failing to revisit is why municipalities do not realise the effect.</summary>
    public void Complete(DateTimeOffset at)
    {
        Require(State is EpisodeState.Active or EpisodeState.Paused, $"only a started episode is completed (it is {State})");
        Require(Revisitation is not null, "an episode is completed only after its revisitation");
        End(EpisodeState.Completed, at);
        _pending.Add(new EpisodeStatusChange(EpisodeStatusKind.Completed, at, Outcome: Revisitation!.Outcome));
    }

    public void Cancel(DateTimeOffset at, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Require(!IsEnded, $"the episode has ended ({State})");
        CancellationReason = reason;
        End(EpisodeState.Cancelled, at);
        _pending.Add(new EpisodeStatusChange(EpisodeStatusKind.Cancelled, at, Reason: reason));
    }

    /// <summary>A death (MORS) ends the episode: an active one completes with outcome died, one not started is cancelled.</summary>
    public bool EndByDeath(DateTimeOffset at)
    {
        if (IsEnded)
        {
            return false;
        }

        if (State is EpisodeState.Active or EpisodeState.Paused)
        {
            Revisitation = new Revisitation(at, RevisitationOutcome.Died, null);
            End(EpisodeState.Completed, at);
            _pending.Add(new EpisodeStatusChange(EpisodeStatusKind.Completed, at, Outcome: RevisitationOutcome.Died));
        }
        else
        {
            CancellationReason = "the citizen died";
            End(EpisodeState.Cancelled, at);
            _pending.Add(new EpisodeStatusChange(EpisodeStatusKind.Cancelled, at, Reason: CancellationReason));
        }

        return true;
    }

    public int DefineGoal(string text, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        Require(!IsEnded, $"the episode has ended ({State})");
        var number = _goals.Count == 0 ? 1 : _goals.Max(g => g.Number) + 1;
        _goals.Add(new EpisodeGoal(number, text, GoalStatus.Defined, at));
        Record(at, "goal-defined", $"goal {number}");
        return number;
    }

    public void EvaluateGoal(int number, GoalStatus result, string note, DateTimeOffset at)
    {
        Require(result is GoalStatus.Evaluated or GoalStatus.Met or GoalStatus.NotMet, "a goal is evaluated as evaluated, met or not met");
        Replace(number, g => g with { Status = result, ChangedAt = at, EvaluationNote = note });
        Record(at, "goal-evaluated", $"goal {number}: {result}");
    }

    public void RedefineGoal(int number, string text, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        Replace(number, g => g with { Text = text, Status = GoalStatus.Redefined, ChangedAt = at });
        Record(at, "goal-redefined", $"goal {number}");
    }

    public void AddEffort(string description, LegalBasis legalBasis, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        Require(!IsEnded, $"the episode has ended ({State})");
        _efforts.Add(new Effort(description, legalBasis, at));
        Record(at, "effort", $"{description} ({legalBasis})");
    }

    public void ChangeResponsibleUnit(string unit, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(unit);
        ResponsibleUnit = unit;
        Record(at, "responsible-unit", unit);
    }

    /// <summary>The episode as plain values for storage. Pending status changes are not part of it: take them first.</summary>
    public EpisodeSnapshot ToSnapshot() => new()
    {
        Id = Id,
        Cause = Cause,
        State = State,
        ResponsibleUnit = ResponsibleUnit,
        Coordinator = Coordinator,
        Length = Length,
        ReceivedAt = ReceivedAt,
        PlannedStart = PlannedStart,
        PostponementReason = PostponementReason,
        FreeChoiceOffered = FreeChoiceOffered,
        StartedAt = StartedAt,
        NextEvaluation = NextEvaluation,
        PlannedEnd = PlannedEnd,
        EndedAt = EndedAt,
        Revisitation = Revisitation,
        CancellationReason = CancellationReason,
        Goals = [.. _goals],
        Efforts = [.. _efforts],
        History = [.. _history],
    };

    /// <summary>An episode as storage kept it.</summary>
    public static RehabilitationEpisode Restore(EpisodeSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var episode = new RehabilitationEpisode(snapshot.Id, snapshot.Cause, snapshot.ResponsibleUnit, snapshot.ReceivedAt)
        {
            State = snapshot.State,
            Coordinator = snapshot.Coordinator,
            Length = snapshot.Length,
            PlannedStart = snapshot.PlannedStart,
            PostponementReason = snapshot.PostponementReason,
            FreeChoiceOffered = snapshot.FreeChoiceOffered,
            StartedAt = snapshot.StartedAt,
            NextEvaluation = snapshot.NextEvaluation,
            PlannedEnd = snapshot.PlannedEnd,
            EndedAt = snapshot.EndedAt,
            Revisitation = snapshot.Revisitation,
            CancellationReason = snapshot.CancellationReason,
        };
        episode._goals.AddRange(snapshot.Goals);
        episode._efforts.AddRange(snapshot.Efforts);
        episode._history.AddRange(snapshot.History);
        return episode;
    }

    public IReadOnlyList<EpisodeStatusChange> TakePendingStatusChanges()
    {
        var taken = _pending.ToList();
        _pending.Clear();
        return taken;
    }

    private void OfferFreeChoice(DateTimeOffset at, string why)
    {
        FreeChoiceOffered = true;
        Record(at, "free-choice", $"{why}: the citizen may choose another provider");
    }

    private void End(EpisodeState state, DateTimeOffset at)
    {
        State = state;
        EndedAt = at;
        NextEvaluation = null;
        Record(at, state == EpisodeState.Completed ? "completed" : "cancelled",
            state == EpisodeState.Completed ? Revisitation?.Outcome.ToString() : CancellationReason);
    }

    private void Replace(int number, Func<EpisodeGoal, EpisodeGoal> change)
    {
        Require(!IsEnded, $"the episode has ended ({State})");
        var index = _goals.FindIndex(g => g.Number == number);
        Require(index >= 0, $"there is no goal {number}");
        _goals[index] = change(_goals[index]);
    }

    private void Record(DateTimeOffset at, string kind, string? detail) => _history.Add(new EpisodeEvent(at, kind, detail));

    private static void Require(bool condition, string rule)
    {
        if (!condition)
        {
            throw new EpisodeRuleException(rule);
        }
    }
}

/// <summary>What an episode is for: the plan or referral that opened it.</summary>
public sealed record EpisodeCause
{
    public required EpisodeSource Source { get; init; }
    /// <summary>The plan's or referral's identifier as the sender gave it (RE_/AN_ refer to it).</summary>
    public required string SourceIdentifier { get; init; }
    public required string MunicipalityCode { get; init; }
    /// <summary>Keyed hash of the citizen's CPR; never the CPR.</summary>
    public required string CitizenKey { get; init; }
    /// <summary>Registry id of the hospital or GP told about the episode's status.</summary>
    public required string SenderPartnerId { get; init; }
    public TrainingLevel? Level { get; init; }
    public ReferralProgramme? Programme { get; init; }
    /// <summary>For a training plan: the discharge date; the start deadline counts from it.</summary>
    public DateOnly? DischargeDate { get; init; }
    /// <summary>The citizen's GP, told about the status too.</summary>
    public string? GeneralPracticePartnerId { get; init; }
}

/// <summary>An operation the episode's rules forbid. The message names the rule; it never holds citizen data.</summary>
public sealed class EpisodeRuleException : InvalidOperationException
{
    public EpisodeRuleException()
    {
    }

    public EpisodeRuleException(string message)
        : base(message)
    {
    }

    public EpisodeRuleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

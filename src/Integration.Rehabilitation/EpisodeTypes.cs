namespace Integration.Rehabilitation;

/// <summary>Where an episode is in its life: referred → planned → active → (paused while readmitted) → completed or cancelled.</summary>
public enum EpisodeState { Referred, Planned, Active, Paused, Completed, Cancelled }

/// <summary>What started the episode.</summary>
public enum EpisodeSource { TrainingPlan, Referral }

/// <summary>The level of a training plan (genoptræningsplan), as the hospital orders it.</summary>
public enum TrainingLevel { AlmenBasal, AlmenAvanceret, Specialiseret, RehabiliteringSpecialiseret }

/// <summary>What a GP refers the citizen to (henvisning).</summary>
public enum ReferralProgramme { Diabetes, Copd, Heart, Musculoskeletal, FreePhysiotherapy, HomeNursing, Rehabilitation }

/// <summary>The legal basis of one effort in the episode.</summary>
public enum LegalBasis
{
    /// <summary>Serviceloven §83: personal and practical help.</summary>
    Serviceloven83,
    /// <summary>Serviceloven §83a: a time-limited rehabilitation course.</summary>
    Serviceloven83a,
    /// <summary>Serviceloven §85: socio-educational support.</summary>
    Serviceloven85,
    /// <summary>Serviceloven §86: training.</summary>
    Serviceloven86,
    /// <summary>Sundhedsloven §138: home nursing.</summary>
    Sundhedsloven138,
    /// <summary>Sundhedsloven §140: rehabilitation after discharge.</summary>
    Sundhedsloven140,
}

/// <summary>How the episode ended, from the revisitation the documents require before completion.</summary>
public enum RevisitationOutcome { SelfReliant, ReducedHelp, MaintenanceTraining, NewEpisode, MovedToCareHome, Died }

/// <summary>Course length: 12 weeks, or 6 weeks evaluated and then extended to 12.</summary>
public enum CourseLength { TwelveWeeks, SixPlusSix }

public enum GoalStatus { Defined, Evaluated, Redefined, Met, NotMet }

/// <summary>A status the sender of the plan or referral cares about; each one is sent back as an episode-status message.</summary>
public enum EpisodeStatusKind { Received, StartPlanned, Started, Completed, Cancelled }

/// <summary>The citizen's own goal: defined, evaluated (with a note) and possibly redefined.</summary>
public sealed record EpisodeGoal(int Number, string Text, GoalStatus Status, DateTimeOffset ChangedAt, string? EvaluationNote = null);

/// <summary>One effort (indsats) with its legal basis.</summary>
public sealed record Effort(string Description, LegalBasis LegalBasis, DateTimeOffset From);

/// <summary>The revisitation before completion: the citizen's services assessed again, and the outcome.</summary>
public sealed record Revisitation(DateTimeOffset At, RevisitationOutcome Outcome, string? Note);

/// <summary>A change the hospital or GP that sent the plan or referral is told about.</summary>
public sealed record EpisodeStatusChange(EpisodeStatusKind Kind, DateTimeOffset At, DateOnly? PlannedStart = null,
    RevisitationOutcome? Outcome = null, string? Reason = null);

/// <summary>Something that happened to the episode, for its history.</summary>
public sealed record EpisodeEvent(DateTimeOffset At, string Kind, string? Detail);

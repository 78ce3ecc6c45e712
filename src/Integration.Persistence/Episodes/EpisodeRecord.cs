namespace Integration.Persistence.Episodes;

/// <summary>
/// A rehabilitation episode as stored. The rules live in Integration.Rehabilitation; this is its snapshot in columns
/// that the worklist and key figures query (state, deadlines, dates), with goals, efforts and history as JSON.
/// </summary>
public sealed class EpisodeRecord
{
    public Guid Id { get; set; }
    public required string MunicipalityCode { get; set; }
    /// <summary>Keyed hash of the CPR: joins with stays and orders work per citizen.</summary>
    public required string CitizenKey { get; set; }
    /// <summary>The citizen's CPR: municipal data with a legal basis (the episode-status messages carry it). Never logged.</summary>
    public required string CitizenCpr { get; set; }
    /// <summary>TrainingPlan or Referral.</summary>
    public required string Source { get; set; }
    /// <summary>The plan's or referral's identifier from its sender; RE_/AN_ and status messages refer to it.</summary>
    public required string SourceIdentifier { get; set; }
    public required string SenderPartnerId { get; set; }
    public string? GeneralPracticePartnerId { get; set; }
    public string? Level { get; set; }
    public string? Programme { get; set; }
    public DateOnly? DischargeDate { get; set; }
    public DateOnly? StartDeadline { get; set; }
    public required string State { get; set; }
    public required string ResponsibleUnit { get; set; }
    public string? Coordinator { get; set; }
    public required string Length { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    public DateOnly? PlannedStart { get; set; }
    public string? PostponementReason { get; set; }
    public bool FreeChoiceOffered { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? NextEvaluation { get; set; }
    public DateTimeOffset? PlannedEnd { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public DateTimeOffset? RevisitationAt { get; set; }
    public string? RevisitationOutcome { get; set; }
    public string? RevisitationNote { get; set; }
    public string? CancellationReason { get; set; }
    public required string GoalsJson { get; set; }
    public required string EffortsJson { get; set; }
    public required string HistoryJson { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency: a deadline sweep and a message for the same citizen may touch one episode.</summary>
    public int Version { get; set; }
}

namespace Integration.Rehabilitation;

/// <summary>Everything an episode holds, as plain values: what storage keeps and gives back.</summary>
public sealed record EpisodeSnapshot
{
    public required Guid Id { get; init; }
    public required EpisodeCause Cause { get; init; }
    public required EpisodeState State { get; init; }
    public required string ResponsibleUnit { get; init; }
    public string? Coordinator { get; init; }
    public CourseLength Length { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
    public DateOnly? PlannedStart { get; init; }
    public string? PostponementReason { get; init; }
    public bool FreeChoiceOffered { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? NextEvaluation { get; init; }
    public DateTimeOffset? PlannedEnd { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public Revisitation? Revisitation { get; init; }
    public string? CancellationReason { get; init; }
    public IReadOnlyList<EpisodeGoal> Goals { get; init; } = [];
    public IReadOnlyList<Effort> Efforts { get; init; } = [];
    public IReadOnlyList<EpisodeEvent> History { get; init; } = [];
}

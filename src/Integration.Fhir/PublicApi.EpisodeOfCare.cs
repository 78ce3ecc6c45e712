namespace Integration.Fhir;

// The read side of rehabilitation episodes (issue 4): an episode as a FHIR EpisodeOfCare. No Firely type crosses this file.

/// <summary>What the municipality shows of one episode.</summary>
public sealed record EpisodeOfCareView
{
    public required Guid Id { get; init; }
    /// <summary>The episode's state: Referred, Planned, Active, Paused, Completed or Cancelled (mapped to EpisodeOfCare.status).</summary>
    public required string State { get; init; }
    public required string CitizenCpr { get; init; }
    public required string MunicipalityCode { get; init; }
    public required string ResponsibleUnit { get; init; }
    /// <summary>The plan's or referral's identifier (EpisodeOfCare.referralRequest).</summary>
    public required string SourceIdentifier { get; init; }
    /// <summary>TrainingPlan or Referral, with the level or programme: EpisodeOfCare.type text.</summary>
    public required string Kind { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public DateTimeOffset ReceivedAt { get; init; }
}

public interface IEpisodeOfCareWriter
{
    /// <summary>One EpisodeOfCare as FHIR JSON.</summary>
    string Write(EpisodeOfCareView episode);

    /// <summary>A searchset Bundle of EpisodeOfCare resources as FHIR JSON.</summary>
    string WriteSearchSet(IReadOnlyList<EpisodeOfCareView> episodes, Uri self);
}

namespace Integration.Persistence.Stays;

public enum StayState { Admitted, AcuteAmbulant, OnLeave, Discharged, Deceased, Cancelled }

/// <summary>A citizen's hospital stay as the municipality knows it from HospitalNotifications.</summary>
public sealed class HospitalStay
{
    public Guid Id { get; set; }
    public required string MunicipalityCode { get; set; }
    public required string CitizenKey { get; set; }
    /// <summary>The citizen's CPR: municipal data with a legal basis. Never logged.</summary>
    public required string CitizenCpr { get; set; }
    /// <summary>The hospital's stay identifier (Encounter.episodeOfCare).</summary>
    public required string StayIdentifier { get; set; }
    public required string HospitalName { get; set; }
    public string? HospitalSor { get; set; }
    public string? WardName { get; set; }
    public required string EncounterClass { get; set; }
    public StayState State { get; set; }
    /// <summary>True when a correction (RE_xx) has changed the stay.</summary>
    public bool Corrected { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public DateTimeOffset? LeaveStartedAt { get; set; }
    public string? LastEventCode { get; set; }
    public DateTimeOffset? LastEventAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Optimistic concurrency: two handlers racing on one stay make one of them retry.</summary>
    public int Version { get; set; }
    /// <summary>True when the municipality closed the stay by hand (no SLHJ came).</summary>
    public bool ClosedManually { get; set; }

    public List<StayEvent> Events { get; set; } = [];
}

/// <summary>One notification applied to a stay. The stay's state is the fold of its valid events in event-time order.</summary>
public sealed class StayEvent
{
    public long Id { get; set; }
    public Guid StayId { get; set; }
    public required string MessageHeaderId { get; set; }
    /// <summary>As received, e.g. RE_STIN.</summary>
    public required string EventCode { get; set; }
    /// <summary>The event it is about, e.g. STIN for RE_STIN and AN_STIN.</summary>
    public required string BaseEvent { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset? StayStart { get; set; }
    public DateTimeOffset? StayEnd { get; set; }
    public DateTimeOffset? LeaveStart { get; set; }
    public DateTimeOffset? LeaveEnd { get; set; }
    /// <summary>Cancelled by a later AN_xx (entered-in-error).</summary>
    public bool Cancelled { get; set; }
    /// <summary>Replaced by a later RE_xx.</summary>
    public bool Replaced { get; set; }
    /// <summary>For RE_xx and AN_xx: whether the notification they correct or cancel has been found (it may arrive later).</summary>
    public bool Matched { get; set; }
    /// <summary>When the event happened in the stay (period start, leave start/end, discharge); orders the fold.</summary>
    public DateTimeOffset EffectiveAt { get; set; }
    public DateTimeOffset AppliedAt { get; set; }
}

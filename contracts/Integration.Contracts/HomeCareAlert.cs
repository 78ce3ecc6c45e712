using System.Text.Json.Serialization;

namespace Integration.Contracts;

/// <summary>What happened to a citizen that municipal home care (hjemmepleje) knows: admitted, on leave, home, dead.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HomeCareAlertKind>))]
public enum HomeCareAlertKind
{
    Admitted,
    AcuteAmbulant,
    LeaveStarted,
    LeaveEnded,
    Discharged,
    Deceased,
    AdmissionCancelled,
}

/// <summary>
/// Municipal handler → queue <c>homecare.{municipalityCode}</c>: an admission alert for home care so visits can be
/// paused and the discharge planned. Sent only for citizens known to the municipality's home care.
/// The body carries the CPR because home care must act on the citizen; it travels only on that municipality's queue.
/// </summary>
public sealed record HomeCareAlert
{
    public required Guid AlertId { get; init; }
    public required string MunicipalityCode { get; init; }
    public required HomeCareAlertKind Kind { get; init; }
    public required string CitizenCpr { get; init; }
    public required string StayIdentifier { get; init; }
    /// <summary>The MedCom event that caused the alert, e.g. STIN, SLHJ, RE_STIN.</summary>
    public required string EventCode { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required string HospitalName { get; init; }
    public string? HospitalSor { get; init; }
    public string? WardName { get; init; }
    public required string MessageHeaderId { get; init; }
}

namespace Integration.Persistence.HomeCare;

/// <summary>A citizen known to a municipality's home care, stored as the keyed hash of the CPR.</summary>
public sealed class HomeCareCitizen
{
    public required string MunicipalityCode { get; set; }
    public required string CitizenKey { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    /// <summary>The help the citizen receives (name, legal basis, frequency) as JSON: what an admission report tells the hospital.</summary>
    public string? ServicesJson { get; set; }
    /// <summary>Who the hospital can call about the citizen's help.</summary>
    public string? ContactUnit { get; set; }
    public string? ContactPhone { get; set; }
}

/// <summary>An admission alert the hub sent to home care (for the trace; the alert itself travels on the bus).</summary>
public sealed class HomeCareAlertRecord
{
    public Guid Id { get; set; }
    public Guid MessageId { get; set; }
    public Guid StayId { get; set; }
    public required string MunicipalityCode { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

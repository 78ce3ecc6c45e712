namespace Integration.Municipal;

/// <summary>Bound from the "Municipal" configuration section.</summary>
public sealed class MunicipalOptions
{
    /// <summary>A JSON file of citizens known to home care, loaded into the database at start (embedded default).</summary>
    public string? HomeCareCitizensFile { get; set; }
}

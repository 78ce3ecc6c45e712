namespace Integration.Municipal;

/// <summary>Bound from the "Municipal" configuration section.</summary>
public sealed class MunicipalOptions
{
    /// <summary>A JSON file of citizens known to home care, loaded into the database at start (embedded default).</summary>
    public string? HomeCareCitizensFile { get; set; }

    /// <summary>A JSON file of each municipality's organisation of rehabilitation (who leads an episode, its coordinator);
    /// null: every episode is led by the unit the plan or referral was addressed to.</summary>
    public string? OrganisationFile { get; set; }
}

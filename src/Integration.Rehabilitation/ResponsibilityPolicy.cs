namespace Integration.Rehabilitation;

/// <summary>
/// The organisation models the source documents describe: who is responsible for a rehabilitation episode differs per
/// municipality, so it is configuration, not code.
/// </summary>
public enum OrganisationModel
{
    /// <summary>Home care (hjemmeplejen) leads the episode; the training unit delivers training.</summary>
    HomeCareLed,
    /// <summary>The training unit (træningsenheden) leads.</summary>
    TrainingUnitLed,
    /// <summary>A dedicated forward rehabilitation team (rehabiliteringsteam) leads.</summary>
    RehabilitationTeam,
    /// <summary>The visitation/authority unit (visitation/myndighed) leads and orders efforts from providers.</summary>
    VisitationLed,
}

/// <summary>
/// One municipality's choice: its organisation model, the unit (registry partner id) that leads under it, exceptions per
/// training level or referral programme (e.g. home nursing referrals to hjemmesygeplejen), and the coordinator
/// (forløbsansvarlig) its episodes get.
/// </summary>
public sealed record ResponsibilityPolicy
{
    public required string MunicipalityCode { get; init; }
    public required OrganisationModel Model { get; init; }
    /// <summary>The unit that leads episodes under <see cref="Model"/>.</summary>
    public required string LeadUnit { get; init; }
    public IReadOnlyDictionary<TrainingLevel, string> UnitByLevel { get; init; } = new Dictionary<TrainingLevel, string>();
    public IReadOnlyDictionary<ReferralProgramme, string> UnitByProgramme { get; init; } = new Dictionary<ReferralProgramme, string>();
    /// <summary>The coordinator (forløbsansvarlig) as a role or unit name, e.g. "Visitator, Visitationen"; null when the
    /// municipality names none up front.</summary>
    public string? Coordinator { get; init; }

    /// <summary>The responsible unit for an episode with this cause: an exception for its level or programme, else the lead unit.</summary>
    public string ResponsibleUnitFor(EpisodeCause cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        if (cause.Level is { } level && UnitByLevel.TryGetValue(level, out var byLevel))
        {
            return byLevel;
        }

        return cause.Programme is { } programme && UnitByProgramme.TryGetValue(programme, out var byProgramme) ? byProgramme : LeadUnit;
    }
}

/// <summary>Who is responsible for a new episode: the unit that leads it and its coordinator, when named.</summary>
public sealed record EpisodeResponsibility(string Unit, string? Coordinator);

/// <summary>
/// Every configured municipality's <see cref="ResponsibilityPolicy"/>. A municipality without one keeps the default: the
/// unit the plan or referral was addressed to leads, and no coordinator is named up front.
/// </summary>
public sealed class ResponsibilityPolicies
{
    private readonly Dictionary<string, ResponsibilityPolicy> _byMunicipality;

    public ResponsibilityPolicies(IEnumerable<ResponsibilityPolicy> policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        _byMunicipality = [];
        foreach (var policy in policies)
        {
            if (!_byMunicipality.TryAdd(policy.MunicipalityCode, policy))
            {
                throw new ArgumentException($"Municipality {policy.MunicipalityCode} has more than one responsibility policy.", nameof(policies));
            }
        }
    }

    /// <summary>No municipality configured: every episode is led by the unit it was addressed to.</summary>
    public static ResponsibilityPolicies None { get; } = new([]);

    public ResponsibilityPolicy? For(string municipalityCode) => _byMunicipality.GetValueOrDefault(municipalityCode);

    /// <summary>The unit and coordinator for a new episode with this cause, addressed to <paramref name="addressedUnit"/>.</summary>
    public EpisodeResponsibility Choose(EpisodeCause cause, string addressedUnit)
    {
        ArgumentNullException.ThrowIfNull(cause);
        ArgumentException.ThrowIfNullOrWhiteSpace(addressedUnit);
        return For(cause.MunicipalityCode) is { } policy
            ? new EpisodeResponsibility(policy.ResponsibleUnitFor(cause), policy.Coordinator)
            : new EpisodeResponsibility(addressedUnit, null);
    }
}

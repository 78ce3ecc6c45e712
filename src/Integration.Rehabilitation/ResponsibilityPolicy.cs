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
/// One municipality's choice: its organisation model, the unit (registry partner id) that leads under it, and
/// exceptions per training level or referral programme (e.g. home nursing referrals to hjemmesygeplejen).
/// </summary>
public sealed record ResponsibilityPolicy
{
    public required string MunicipalityCode { get; init; }
    public required OrganisationModel Model { get; init; }
    /// <summary>The unit that leads episodes under <see cref="Model"/>.</summary>
    public required string LeadUnit { get; init; }
    public IReadOnlyDictionary<TrainingLevel, string> UnitByLevel { get; init; } = new Dictionary<TrainingLevel, string>();
    public IReadOnlyDictionary<ReferralProgramme, string> UnitByProgramme { get; init; } = new Dictionary<ReferralProgramme, string>();

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

namespace Integration.Rehabilitation.Tests;

[Trait("Category", "Unit")]
public sealed class ResponsibilityPolicyTests
{
    private static readonly ResponsibilityPolicy Herlev = new()
    {
        MunicipalityCode = "163",
        Model = OrganisationModel.HomeCareLed,
        LeadUnit = "herlev-hjemmepleje",
        UnitByLevel = new Dictionary<TrainingLevel, string> { [TrainingLevel.Specialiseret] = "herlev-traeningsenhed" },
        UnitByProgramme = new Dictionary<ReferralProgramme, string> { [ReferralProgramme.HomeNursing] = "herlev-hjemmesygepleje" },
    };

    [Theory]
    [InlineData(TrainingLevel.AlmenBasal, "herlev-hjemmepleje")]
    [InlineData(TrainingLevel.Specialiseret, "herlev-traeningsenhed")]
    public void GivenATrainingPlan_WhenTheUnitIsChosen_ThenTheLevelExceptionOrTheLeadUnit(TrainingLevel level, string unit) =>
        Assert.Equal(unit, Herlev.ResponsibleUnitFor(Cause(EpisodeSource.TrainingPlan) with { Level = level }));

    [Theory]
    [InlineData(ReferralProgramme.HomeNursing, "herlev-hjemmesygepleje")]
    [InlineData(ReferralProgramme.Diabetes, "herlev-hjemmepleje")]
    public void GivenAReferral_WhenTheUnitIsChosen_ThenTheProgrammeExceptionOrTheLeadUnit(ReferralProgramme programme, string unit) =>
        Assert.Equal(unit, Herlev.ResponsibleUnitFor(Cause(EpisodeSource.Referral) with { Programme = programme }));

    private static EpisodeCause Cause(EpisodeSource source) => new()
    {
        Source = source,
        SourceIdentifier = "x",
        MunicipalityCode = "163",
        CitizenKey = "k",
        SenderPartnerId = "p",
    };
}

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
        Coordinator = "Forløbskoordinator i hjemmeplejen",
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

    [Fact]
    public void GivenAConfiguredMunicipality_WhenAnEpisodeIsOpened_ThenItsPolicyChoosesUnitAndCoordinator()
    {
        var policies = new ResponsibilityPolicies([Herlev]);

        var responsibility = policies.Choose(Cause(EpisodeSource.TrainingPlan) with { Level = TrainingLevel.Specialiseret }, "herlev-plejecenter");

        Assert.Equal(new EpisodeResponsibility("herlev-traeningsenhed", "Forløbskoordinator i hjemmeplejen"), responsibility);
    }

    [Fact]
    public void GivenAMunicipalityWithoutPolicy_WhenAnEpisodeIsOpened_ThenTheAddressedUnitLeadsWithoutCoordinator()
    {
        var policies = new ResponsibilityPolicies([Herlev]);

        var responsibility = policies.Choose(Cause(EpisodeSource.Referral, municipality: "851") with { Programme = ReferralProgramme.HomeNursing },
            "aalborg-hjemmesygepleje");

        Assert.Equal(new EpisodeResponsibility("aalborg-hjemmesygepleje", null), responsibility);
    }

    [Fact]
    public void GivenTwoPoliciesForOneMunicipality_WhenCombined_ThenRefused() =>
        Assert.Throws<ArgumentException>(() => new ResponsibilityPolicies([Herlev, Herlev with { LeadUnit = "herlev-traeningsenhed" }]));

    private static EpisodeCause Cause(EpisodeSource source, string municipality = "163") => new()
    {
        Source = source,
        SourceIdentifier = "x",
        MunicipalityCode = municipality,
        CitizenKey = "k",
        SenderPartnerId = "p",
    };
}

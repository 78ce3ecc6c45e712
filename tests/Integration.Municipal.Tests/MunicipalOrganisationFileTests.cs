using Integration.Municipal.Episodes;
using Integration.Partners;
using Integration.Rehabilitation;
using Integration.Testing;

namespace Integration.Municipal.Tests;

[Trait("Category", "Unit")]
public sealed class MunicipalOrganisationFileTests : IDisposable
{
    private static readonly string Embedded = Path.Combine(MedComExamples.RepositoryRoot, "deploy", "embedded");
    private static readonly PartnerRegistry Partners = PartnerFile.Load(Path.Combine(Embedded, "partners.json"));
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"hub-organisation-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public void GivenTheEmbeddedFile_WhenLoaded_ThenHerlevAndAalborgHaveTheirOwnModelsUnitsAndCoordinators()
    {
        var policies = MunicipalOrganisationFile.Load(Path.Combine(Embedded, "municipal-organisation.json"), Partners);

        var herlev = policies.For("163")!;
        var aalborg = policies.For("851")!;
        Assert.Equal(OrganisationModel.VisitationLed, herlev.Model);
        Assert.Equal("herlev-kommune-carecommunication", herlev.LeadUnit);
        Assert.Equal("herlev-plejecenter", herlev.UnitByLevel[TrainingLevel.AlmenBasal]);
        Assert.Equal("Visitator, Visitationen i Herlev Kommune", herlev.Coordinator);
        Assert.Equal(OrganisationModel.HomeCareLed, aalborg.Model);
        Assert.Equal("aalborg-hjemmesygepleje", aalborg.LeadUnit);
        Assert.NotNull(aalborg.Coordinator);
        Assert.Null(policies.For("101")); // not configured: the addressed unit leads
    }

    [Fact]
    public void GivenLevelsAndProgrammesAsMessageCodesOrEnumNames_WhenLoaded_ThenBothAreRead()
    {
        Write("""
            { "municipalities": [ { "municipalityCode": "163", "organisationModel": "trainingUnitLed", "leadUnit": "herlev-plejecenter",
              "unitByLevel": { "rehabilitering-specialiseret": "herlev-kommune-carecommunication", "AlmenBasal": "herlev-plejecenter" },
              "unitByProgramme": { "home-nursing": "herlev-kommune-carecommunication" } } ] }
            """);

        var herlev = MunicipalOrganisationFile.Load(_file, Partners).For("163")!;

        Assert.Equal(OrganisationModel.TrainingUnitLed, herlev.Model);
        Assert.Equal("herlev-kommune-carecommunication", herlev.UnitByLevel[TrainingLevel.RehabiliteringSpecialiseret]);
        Assert.Equal("herlev-plejecenter", herlev.UnitByLevel[TrainingLevel.AlmenBasal]);
        Assert.Equal("herlev-kommune-carecommunication", herlev.UnitByProgramme[ReferralProgramme.HomeNursing]);
        Assert.Null(herlev.Coordinator);
    }

    [Theory]
    [InlineData("""{ "municipalityCode": "163", "organisationModel": "HomeCareLed", "leadUnit": "aalborg-hjemmesygepleje" }""", "aalborg-hjemmesygepleje")] // another municipality's unit
    [InlineData("""{ "municipalityCode": "163", "organisationModel": "HomeCareLed", "leadUnit": "herlev-traeningsenhed" }""", "herlev-traeningsenhed")] // not in the registry
    [InlineData("""{ "municipalityCode": "163", "organisationModel": "HomeCareLed", "leadUnit": "herlev-gentofte-hjerteafdeling" }""", "herlev-gentofte-hjerteafdeling")] // a hospital
    [InlineData("""{ "municipalityCode": "163", "organisationModel": "CitizenLed", "leadUnit": "herlev-plejecenter" }""", "CitizenLed")]
    [InlineData("""{ "municipalityCode": "163", "organisationModel": "HomeCareLed", "leadUnit": "herlev-plejecenter", "unitByLevel": { "1": "herlev-plejecenter" } }""", "training level '1'")]
    [InlineData("""{ "municipalityCode": "163", "organisationModel": "HomeCareLed", "leadUnit": "herlev-plejecenter", "unitByProgramme": { "dentistry": "herlev-plejecenter" } }""", "dentistry")]
    [InlineData("""{ "municipalityCode": "Herlev", "organisationModel": "HomeCareLed", "leadUnit": "herlev-plejecenter" }""", "kommunekode")]
    public void GivenAnEntryTheHubCannotFollow_WhenLoaded_ThenTheStartStopsNamingTheProblem(string entry, string named)
    {
        Write($$"""{ "municipalities": [ {{entry}} ] }""");

        var error = Assert.Throws<InvalidDataException>(() => MunicipalOrganisationFile.Load(_file, Partners));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains(_file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAMunicipalityListedTwice_WhenLoaded_ThenRefused()
    {
        const string herlev = """{ "municipalityCode": "163", "organisationModel": "HomeCareLed", "leadUnit": "herlev-plejecenter" }""";
        Write($$"""{ "municipalities": [ {{herlev}}, {{herlev}} ] }""");

        var error = Assert.Throws<InvalidDataException>(() => MunicipalOrganisationFile.Load(_file, Partners));

        Assert.Contains("163 is listed more than once", error.Message, StringComparison.Ordinal);
    }

    private void Write(string json) => File.WriteAllText(_file, json);
}

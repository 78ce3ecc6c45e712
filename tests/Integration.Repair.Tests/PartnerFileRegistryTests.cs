using Integration.Partners;

namespace Integration.Repair.Tests;

public sealed class PartnerFileRegistryTests : IDisposable
{
    private const string Hospital = """{ "id": "hospital", "name": "Hospital", "kind": "Hospital", "ean": "5790000209354", "sor": "265161000016000" }""";
    private const string Unit = """{ "id": "unit", "name": "New unit", "kind": "Municipality", "municipalityCode": "101", "ean": "5790000000029", "sor": "111111111111111" }""";
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"partners-{Guid.NewGuid():N}.json");

    public void Dispose() => File.Delete(_path);

    private void Write(params string[] partners) => File.WriteAllText(_path, $$"""{ "partners": [ {{string.Join(",", partners)}} ] }""");

    [Fact]
    public void GivenPartnerAddedToTheFile_WhenReloaded_ThenItIsFoundAndReportedAsAdded()
    {
        Write(Hospital);
        var registry = new PartnerFileRegistry(_path);
        Assert.Null(registry.Find("5790000000029", "111111111111111"));
        Write(Hospital, Unit);

        var changes = registry.Reload();

        Assert.Equal(["unit"], changes.Added);
        Assert.Empty(changes.Removed);
        Assert.Empty(changes.Changed);
        Assert.Equal("unit", registry.Find("5790000000029", "111111111111111")?.Id);
        Assert.Contains("101", registry.MunicipalityCodes);
    }

    [Fact]
    public void GivenPartnerChangedAndAnotherRemoved_WhenReloaded_ThenBothAreReported()
    {
        Write(Hospital, Unit);
        var registry = new PartnerFileRegistry(_path);
        Write(Hospital.Replace("\"Hospital\", \"kind\"", "\"Renamed hospital\", \"kind\"", StringComparison.Ordinal));

        var changes = registry.Reload();

        Assert.Equal(["hospital"], changes.Changed);
        Assert.Equal(["unit"], changes.Removed);
        Assert.Equal("Renamed hospital", registry.FindById("hospital")?.Name);
    }

    [Fact]
    public void GivenBrokenFile_WhenReloaded_ThenRefusedAndTheRegistryIsUnchanged()
    {
        Write(Hospital);
        var registry = new PartnerFileRegistry(_path);
        File.WriteAllText(_path, "{ \"partners\": [ { \"id\": ");

        Assert.Throws<InvalidDataException>(registry.Reload);

        Assert.Equal("hospital", registry.FindById("hospital")?.Id);
    }
}

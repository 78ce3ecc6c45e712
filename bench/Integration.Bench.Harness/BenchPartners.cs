using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.Bench.Harness;

/// <summary>An organisation the simulated traffic names in MessageHeader.sender or .destination.</summary>
internal sealed record BenchOrganisation(string Id, string Ean, string Sor, string? MunicipalityCode);

/// <summary>
/// The bench's partner registry: one municipal unit per municipality (the router maps the receiver's SOR/EAN to it, and
/// its kommunekode names the queue <c>municipality.{code}</c>) and a few hospitals whose acknowledgements go over HTTP
/// to the harness. Identifiers are synthetic but well-formed (GS1 check digit, SOR length).
/// </summary>
internal sealed class BenchPartners
{
    public const int HospitalCount = 4;

    private BenchPartners(IReadOnlyList<BenchOrganisation> municipalUnits, IReadOnlyList<BenchOrganisation> hospitals)
    {
        MunicipalUnits = municipalUnits;
        Hospitals = hospitals;
    }

    public IReadOnlyList<BenchOrganisation> MunicipalUnits { get; }

    public IReadOnlyList<BenchOrganisation> Hospitals { get; }

    public static BenchPartners Create()
    {
        var municipalUnits = Municipalities.Codes
            .Select((code, i) => new BenchOrganisation($"bench-kommune-{code}", Gln(100_000 + i), Sor(700_000 + i), code))
            .ToList();
        var hospitals = Enumerable.Range(0, HospitalCount)
            .Select(i => new BenchOrganisation($"bench-hospital-{i}", Gln(200_000 + i), Sor(800_000 + i), null))
            .ToList();
        return new BenchPartners(municipalUnits, hospitals);
    }

    public BenchOrganisation MunicipalUnit(string code) => MunicipalUnits.First(m => m.MunicipalityCode == code);

    /// <summary>Writes the registry; each hospital's acknowledgements go to <paramref name="ackEndpoint"/>(hospital id).</summary>
    public void WriteFile(string path, Func<string, Uri> ackEndpoint)
    {
        var partners = new JsonArray();
        foreach (var unit in MunicipalUnits)
        {
            partners.Add(new JsonObject
            {
                ["id"] = unit.Id,
                ["name"] = $"Bench municipal unit {unit.MunicipalityCode}",
                ["kind"] = "Municipality",
                ["municipalityCode"] = unit.MunicipalityCode,
                ["ean"] = unit.Ean,
                ["sor"] = unit.Sor,
            });
        }

        foreach (var hospital in Hospitals)
        {
            partners.Add(new JsonObject
            {
                ["id"] = hospital.Id,
                ["name"] = $"Bench hospital {hospital.Id}",
                ["kind"] = "Hospital",
                ["ean"] = hospital.Ean,
                ["sor"] = hospital.Sor,
                ["delivery"] = new JsonObject { ["type"] = "Http", ["endpoint"] = ackEndpoint(hospital.Id).ToString() },
            });
        }

        File.WriteAllText(path, new JsonObject { ["partners"] = partners }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>A GLN under the Danish prefix 579 with a valid GS1 mod-10 check digit.</summary>
    private static string Gln(int serial)
    {
        var body = "579" + serial.ToString("D9", CultureInfo.InvariantCulture);
        var sum = 0;
        for (var i = body.Length - 1; i >= 0; i--)
        {
            sum += (body[i] - '0') * ((body.Length - 1 - i) % 2 == 0 ? 3 : 1);
        }

        return body + ((10 - (sum % 10)) % 10).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A SOR-shaped code (16 digits, ending like SOR's SCTID-based codes).</summary>
    private static string Sor(int serial) => serial.ToString("D6", CultureInfo.InvariantCulture) + "1000016009";
}

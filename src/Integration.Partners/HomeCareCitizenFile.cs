using System.Text.Json;

namespace Integration.Partners;

/// <summary>One citizen known to a municipality's home care (the legal basis for keeping admission notifications), with
/// the help they receive and whom to call: what an admission report (indlæggelsesrapport) tells the hospital.</summary>
public sealed record KnownCitizen(string MunicipalityCode, string Cpr)
{
    public IReadOnlyList<CitizenService> Services { get; init; } = [];
    public string? ContactUnit { get; init; }
    public string? ContactPhone { get; init; }
}

/// <summary>One service: e.g. "personal care morning and evening", legal basis <c>Serviceloven83</c>, "twice daily".</summary>
public sealed record CitizenService(string Name, string LegalBasis, string? Frequency);

/// <summary>Reads the embedded default's list of citizens known to municipal home care (deploy/embedded/homecare-citizens.json).</summary>
public static class HomeCareCitizenFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    public static IReadOnlyList<KnownCitizen> Load(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<Document>(stream, Options)?.Citizens ?? [];
    }

    private sealed record Document(IReadOnlyList<KnownCitizen> Citizens);
}

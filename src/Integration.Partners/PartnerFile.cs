using System.Text.Json;

namespace Integration.Partners;

/// <summary>Reads the partner registry file (JSON: <c>{ "partners": [ ... ] }</c>); see deploy/embedded/partners.json.</summary>
public static class PartnerFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { ReadCommentHandling = JsonCommentHandling.Skip };

    public static PartnerRegistry Load(string path)
    {
        using var stream = File.OpenRead(path);
        var document = JsonSerializer.Deserialize<Document>(stream, Options)
            ?? throw new InvalidDataException($"The partner file {path} is empty.");
        var duplicates = document.Partners.GroupBy(p => p.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidDataException($"The partner file {path} has duplicate ids: {string.Join(", ", duplicates)}.");
        }

        return new PartnerRegistry(document.Partners);
    }

    private sealed record Document(IReadOnlyList<Partner> Partners);
}

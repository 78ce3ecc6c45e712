using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.Fhir.Validation.Packages;

/// <summary>The conformance resources of one FHIR NPM package (.tgz), read straight from the archive: the
/// StructureDefinitions, ValueSets and CodeSystems at the top of <c>package/</c>. Examples and other folders are skipped.</summary>
internal sealed class FhirPackage
{
    // MedCom's packages are well under 1 MB; a file this big is not a profile package.
    private const long MaxEntryBytes = 32L * 1024 * 1024;

    private FhirPackage(string name, string version, Dictionary<string, JsonObject> structureDefinitions,
        Dictionary<string, JsonObject> valueSets, Dictionary<string, JsonObject> codeSystems)
    {
        Name = name;
        Version = version;
        StructureDefinitions = structureDefinitions;
        ValueSets = valueSets;
        CodeSystems = codeSystems;
    }

    public string Name { get; }
    public string Version { get; }
    public string Id => $"{Name}#{Version}";

    /// <summary>By StructureDefinition.id, e.g. <c>medcom-hospitalNotification-message</c>.</summary>
    public IReadOnlyDictionary<string, JsonObject> StructureDefinitions { get; }

    /// <summary>By canonical URL (without version).</summary>
    public IReadOnlyDictionary<string, JsonObject> ValueSets { get; }

    /// <summary>By canonical URL (without version).</summary>
    public IReadOnlyDictionary<string, JsonObject> CodeSystems { get; }

    public static FhirPackage Read(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        string? name = null;
        string? version = null;
        var structureDefinitions = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var valueSets = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        var codeSystems = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null || !IsTopLevelJson(entry.Name))
            {
                continue;
            }

            if (entry.Length > MaxEntryBytes)
            {
                throw new InvalidDataException($"{entry.Name} in {Path.GetFileName(path)} is larger than {MaxEntryBytes} bytes.");
            }

            if (JsonNode.Parse(entry.DataStream) is not JsonObject json)
            {
                continue;
            }

            if (entry.Name.EndsWith("/package.json", StringComparison.Ordinal))
            {
                name = (string?)json["name"];
                version = (string?)json["version"];
                continue;
            }

            switch ((string?)json["resourceType"])
            {
                case "StructureDefinition" when (string?)json["id"] is { } id:
                    structureDefinitions[id] = json;
                    break;
                case "ValueSet" when (string?)json["url"] is { } url:
                    valueSets[Canonical.WithoutVersion(url)] = json;
                    break;
                case "CodeSystem" when (string?)json["url"] is { } url:
                    codeSystems[Canonical.WithoutVersion(url)] = json;
                    break;
            }
        }

        if (name is null || version is null)
        {
            throw new InvalidDataException($"{Path.GetFileName(path)} has no package/package.json with name and version.");
        }

        return new FhirPackage(name, version, structureDefinitions, valueSets, codeSystems);
    }

    /// <summary>Reads every .tgz of a folder. A file that is not a readable package is reported, not fatal.</summary>
    public static (IReadOnlyList<FhirPackage> Packages, IReadOnlyList<string> Problems) ReadFolder(string folder)
    {
        var packages = new List<FhirPackage>();
        var problems = new List<string>();
        if (!Directory.Exists(folder))
        {
            problems.Add($"The packages folder {folder} does not exist; only the built-in rules apply.");
            return (packages, problems);
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.tgz").Order(StringComparer.Ordinal))
        {
            try
            {
                packages.Add(Read(file));
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or FormatException or UnauthorizedAccessException)
            {
                problems.Add($"{Path.GetFileName(file)} could not be read as a FHIR package ({ex.GetType().Name}: {ex.Message}).");
            }
        }

        return (packages, problems);
    }

    private static bool IsTopLevelJson(string entryName)
    {
        // "package/StructureDefinition-x.json", also written as "./package/…" by some tools.
        var name = entryName.StartsWith("./", StringComparison.Ordinal) ? entryName[2..] : entryName;
        return name.StartsWith("package/", StringComparison.Ordinal)
               && name.IndexOf('/', "package/".Length) < 0
               && name.EndsWith(".json", StringComparison.Ordinal);
    }
}

/// <summary>Canonical URLs as MedCom writes them: with or without <c>|version</c>.</summary>
internal static class Canonical
{
    public static string WithoutVersion(string url)
    {
        var bar = url.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? url : url[..bar];
    }
}

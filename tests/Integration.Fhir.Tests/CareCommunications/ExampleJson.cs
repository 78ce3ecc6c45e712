using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Integration.Fhir.Tests.CareCommunications;

/// <summary>MedCom's examples as the FHIR JSON the readers take: JSON files as they are, XML files converted by the parser
/// (as ingress does), and the examples inside a package (.tgz) read without unpacking it to disk.</summary>
internal static class ExampleJson
{
    public const string IgCareCommunications = "examples/ig-carecommunication-5.0.2";
    public const string TestExamples = "examples/carecommunication-testexamples";
    public const string AcknowledgementTestExamples = "examples/acknowledgement-testexamples";
    public const string OioxmlConversion = "examples/oioxml-conversion";
    public const string CareCommunication403Package = "packages/medcom.fhir.dk.carecommunication-4.0.3.tgz";

    /// <summary>The file's message as FHIR JSON; XML goes through <see cref="FhirServices.Parser"/>.</summary>
    public static string Of(string relative) =>
        relative.EndsWith(".xml", StringComparison.Ordinal)
            ? Messages.ParseOk(MedCom.Bytes(relative), FhirFormat.Xml).FhirJson
            : MedCom.Text(relative);

    public static JsonObject Node(string relative) => JsonNode.Parse(Of(relative))!.AsObject();

    public static IEnumerable<string> Files(string folder) =>
        Directory.EnumerateFiles(MedCom.PathOf(folder))
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".xml", StringComparison.Ordinal))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    /// <summary>The Bundle examples of a MedCom package (<c>package/example/Bundle-*.json</c>), by file name.</summary>
    public static IReadOnlyDictionary<string, string> PackageBundles(string package)
    {
        using var gzip = new GZipStream(File.OpenRead(MedCom.PathOf(package)), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        var bundles = new Dictionary<string, string>(StringComparer.Ordinal);
        while (tar.GetNextEntry() is { } entry)
        {
            var name = Path.GetFileName(entry.Name);
            if (entry.Name.StartsWith("package/example/", StringComparison.Ordinal)
                && name.StartsWith("Bundle-", StringComparison.Ordinal) && name.EndsWith(".json", StringComparison.Ordinal)
                && entry.DataStream is { } data)
            {
                using var reader = new StreamReader(data, Encoding.UTF8);
                bundles[name] = reader.ReadToEnd();
            }
        }

        return bundles;
    }
}

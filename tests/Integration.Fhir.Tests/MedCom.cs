using System.Text;
using System.Text.Json.Nodes;

namespace Integration.Fhir.Tests;

/// <summary>MedCom's published examples: <c>$MEDCOM_DIR</c>, else <c>../shared/medcom</c> next to the repository root.</summary>
internal static class MedCom
{
    public const string HospitalNotifications = "examples/ig-hospitalnotification-3.0.2";
    public const string Acknowledgements = "examples/ig-acknowledgement-2.0.3";

    private static readonly Lazy<string> Folder = new(Locate);

    public static string Root => Folder.Value;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static byte[] Bytes(string relative) => File.ReadAllBytes(PathOf(relative));

    public static string Text(string relative) => File.ReadAllText(PathOf(relative), Encoding.UTF8);

    public static JsonObject Json(string relative) => JsonNode.Parse(Text(relative))!.AsObject();

    public static string HospitalNotification(string fileName) => $"{HospitalNotifications}/{fileName}";

    /// <summary>Every JSON and XML example of the IGs and MedCom's receive-side test sets, relative to the root.</summary>
    public static IEnumerable<string> AllExampleFiles()
    {
        var examples = PathOf("examples");
        return Directory.EnumerateDirectories(examples)
            .Where(d => Path.GetFileName(d) is var name
                        && (name.StartsWith("ig-", StringComparison.Ordinal)
                            || name is "acknowledgement-testexamples" or "carecommunication-testexamples"))
            .SelectMany(Directory.EnumerateFiles)
            .Where(f => f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".xml", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
    }

    private static string Locate()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("MEDCOM_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Directory.Exists(Path.Combine(fromEnvironment, "examples"))
                ? Path.GetFullPath(fromEnvironment)
                : throw new InvalidOperationException(
                    $"MEDCOM_DIR is set to '{fromEnvironment}', but it has no 'examples' folder with MedCom's files.");
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Integration.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException(
                $"Could not find Integration.sln above {AppContext.BaseDirectory}; set MEDCOM_DIR to MedCom's folder.");
        }

        var folder = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "medcom"));
        return Directory.Exists(Path.Combine(folder, "examples"))
            ? folder
            : throw new InvalidOperationException(
                $"MedCom's examples are missing: expected them in {folder}/examples (or set MEDCOM_DIR).");
    }
}

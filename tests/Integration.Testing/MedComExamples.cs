namespace Integration.Testing;

/// <summary>
/// MedCom's published example messages, read where they are (../shared/medcom beside the repository, or the folder
/// named by MEDCOM_DIR). They are never copied into the repository; tests derive variants from them in memory.
/// </summary>
public static class MedComExamples
{
    /// <summary>Environment variable that names the medcom folder explicitly.</summary>
    public const string DirectoryVariable = "MEDCOM_DIR";

    /// <summary>The medcom folder (holding examples/ and packages/). Fails loudly when it is missing: tests never skip.</summary>
    public static string Root
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable(DirectoryVariable);
            if (!string.IsNullOrEmpty(configured))
            {
                return Directory.Exists(configured)
                    ? configured
                    : throw new DirectoryNotFoundException($"{DirectoryVariable} names {configured}, which does not exist.");
            }

            var candidate = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "medcom"));
            return Directory.Exists(candidate)
                ? candidate
                : throw new DirectoryNotFoundException(
                    $"MedCom's examples are not at {candidate}. Put the shared folder beside the repository or set {DirectoryVariable}.");
        }
    }

    /// <summary>The examples/ folder.</summary>
    public static string Examples => Path.Combine(Root, "examples");

    /// <summary>MedCom's HospitalNotification 3.0.2 IG examples.</summary>
    public static string HospitalNotifications => Path.Combine(Examples, "ig-hospitalnotification-3.0.2");

    /// <summary>MedCom's profile packages (.tgz), for the validator's package-driven rules.</summary>
    public static string Packages => Path.Combine(Root, "packages");

    /// <summary>MedCom's CareCommunication 5.0.2 IG examples.</summary>
    public static string CareCommunications => Path.Combine(Examples, "ig-carecommunication-5.0.2");

    /// <summary>MedCom's receive-side CareCommunication test messages (JSON and XML).</summary>
    public static string CareCommunicationTests => Path.Combine(Examples, "carecommunication-testexamples");

    /// <summary>The text of one HospitalNotification example by the start of its file name (e.g. "a5e5b880").</summary>
    public static string HospitalNotification(string fileNamePrefix) => One(HospitalNotifications, fileNamePrefix, "HospitalNotification");

    /// <summary>The text of one CareCommunication example, from the IG or the test set, by the start of its name after "Bundle-".</summary>
    public static string CareCommunication(string fileNamePrefix) =>
        Directory.GetFiles(CareCommunications, $"Bundle-{fileNamePrefix}*.json").Length > 0
            ? One(CareCommunications, fileNamePrefix, "CareCommunication")
            : One(CareCommunicationTests, fileNamePrefix, "CareCommunication");

    private static string One(string folder, string fileNamePrefix, string kind)
    {
        var matches = Directory.GetFiles(folder, $"Bundle-{fileNamePrefix}*.json");
        return matches.Length == 1
            ? File.ReadAllText(matches[0])
            : throw new FileNotFoundException($"Expected one {kind} example starting with {fileNamePrefix}, found {matches.Length}.");
    }

    /// <summary>The folder holding Integration.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Integration.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("Integration.sln not found above " + AppContext.BaseDirectory);
        }
    }
}

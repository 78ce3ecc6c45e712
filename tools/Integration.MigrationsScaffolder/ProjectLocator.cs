namespace Integration.MigrationsScaffolder;

internal static class ProjectLocator
{
    private static readonly string ProjectFile = Path.Combine("src", "Integration.Persistence", "Integration.Persistence.csproj");

    /// <summary>Walks up from the tool's output folder (tools/…/bin/…) to the repository root, whatever the working directory.</summary>
    public static string FindPersistenceProject()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ProjectFile);
            if (File.Exists(candidate))
            {
                return Path.GetDirectoryName(candidate)!;
            }
        }

        throw new InvalidOperationException($"Cannot find {ProjectFile} above {AppContext.BaseDirectory}.");
    }
}

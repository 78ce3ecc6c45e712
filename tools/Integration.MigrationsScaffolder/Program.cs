using Integration.MigrationsScaffolder;
using Microsoft.EntityFrameworkCore.Design;

// Does for both providers what `dotnet ef migrations add|remove` would do (dotnet-ef is not on our feed):
//   dotnet run --project tools/Integration.MigrationsScaffolder -- add <Name>
//   dotnet run --project tools/Integration.MigrationsScaffolder -- remove
//   dotnet run --project tools/Integration.MigrationsScaffolder -- check
// `dotnet run` rebuilds Integration.Persistence first, so the scaffolder diffs against the migrations and snapshots
// that are currently in the tree. See docs/adr/0003-migrations-without-dotnet-ef.md.
const string Usage = """
    usage: add <Name>   scaffold migration <Name> for PostgreSQL and SQLite
           remove       delete the last migration of both providers and restore their previous snapshots
           check        exit 1 if the model has changes that no migration captures yet (for CI)
    """;

try
{
    var projectDir = ProjectLocator.FindPersistenceProject();
    switch (args)
    {
        case ["add", var name]:
            MigrationsTool.Add(ProviderTarget.All(projectDir), projectDir, name);
            return 0;
        case ["remove"]:
            MigrationsTool.Remove(ProviderTarget.All(projectDir), projectDir);
            return 0;
        case ["check"]:
            return MigrationsTool.Check(ProviderTarget.All(projectDir)) ? 0 : 1;
        default:
            await Console.Error.WriteLineAsync(Usage);
            return 2;
    }
}
catch (Exception ex) when (ex is OperationException or InvalidOperationException or IOException)
{
    // EF reports user errors (duplicate name, no snapshot to remove, ...) as OperationException: no stack trace needed.
    await Console.Error.WriteLineAsync($"error: {ex.Message}");
    return 1;
}

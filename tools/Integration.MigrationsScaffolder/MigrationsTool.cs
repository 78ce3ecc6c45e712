using System.Reflection;
using Integration.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.MigrationsScaffolder;

internal static class MigrationsTool
{
    private const string RootNamespace = "Integration.Persistence";
    private const string Language = "C#";

    public static void Add(IReadOnlyList<ProviderTarget> providers, string projectDir, string name)
    {
        var timestamp = DateTime.UtcNow;

        // Scaffold every provider in memory first and write only when all succeeded: no half-added migration on failure.
        var scaffolded = new List<(ProviderTarget Provider, ScaffoldedMigration Migration)>();
        foreach (var provider in providers)
        {
            using var context = provider.CreateContext();
            var migration = CreateScaffolder(context, verbose: true, timestamp)
                .ScaffoldMigration(name, RootNamespace, provider.SubNamespace, Language, dryRun: false);
            scaffolded.Add((provider, migration));
        }

        foreach (var (provider, migration) in scaffolded)
        {
            using var context = provider.CreateContext();
            var files = CreateScaffolder(context, verbose: true, timestamp).Save(projectDir, migration, provider.OutputDir, dryRun: false);
            Console.WriteLine(
                $"{provider.Name}: wrote {Relative(projectDir, files.MigrationFile)}, {Relative(projectDir, files.MetadataFile)}, {Relative(projectDir, files.SnapshotFile)}");
        }
    }

    public static void Remove(IReadOnlyList<ProviderTarget> providers, string projectDir)
    {
        // Dry run first, quietly, so that a provider that cannot remove (e.g. has no snapshot) stops us before any file is touched.
        foreach (var provider in providers)
        {
            using var context = provider.CreateContext();
            CreateScaffolder(context, verbose: false).RemoveMigration(projectDir, RootNamespace, force: true, Language, dryRun: true);
        }

        foreach (var provider in providers)
        {
            Console.WriteLine($"{provider.Name}:");
            using var context = provider.CreateContext();
            // force: true = do not refuse when the applied-migrations check fails. The check cannot succeed (ProviderTarget
            // points at no real database), so EF warns that it could not check; reverting a database is up to you.
            CreateScaffolder(context, verbose: true).RemoveMigration(projectDir, RootNamespace, force: true, Language, dryRun: false);
        }
    }

    /// <summary>True when the checked-in snapshots of all providers match the current model.</summary>
    public static bool Check(IReadOnlyList<ProviderTarget> providers)
    {
        var upToDate = true;
        foreach (var provider in providers)
        {
            using var context = provider.CreateContext();
            // Compares the model with the compiled snapshot only; no connection is opened.
            var pending = context.Database.HasPendingModelChanges();
            Console.WriteLine($"{provider.Name}: {(pending ? "model has changes without a migration" : "up to date")}");
            upToDate &= !pending;
        }

        return upToDate;
    }

    private static IMigrationsScaffolder CreateScaffolder(DbContext context, bool verbose, DateTime? idTimestamp = null)
    {
        Action<string> quiet = _ => { };

        // EF1001: DesignTimeServicesBuilder and OperationReporter are EF's "pubternal" API (public, in a *.Internal
        // namespace, no compatibility promise). They are exactly what dotnet-ef calls: the builder adds the core
        // design-time services, the provider's design-time services (found through the provider's
        // [DesignTimeProviderServices] attribute, e.g. Npgsql's annotation code generator) and the context's runtime
        // services, so our output is what `dotnet ef migrations add` would write. The documented public route
        // (AddEntityFrameworkDesignTimeServices + AddDbContextDesignTimeServices) leaves the provider's services out.
        // If an EF upgrade changes these types, only this tool breaks; the generated migrations use public API only.
#pragma warning disable EF1001
        var reporter = new OperationReporter(new OperationReportHandler(
            errorHandler: m => Console.Error.WriteLine($"  error: {m}"),
            warningHandler: verbose ? m => Console.Error.WriteLine($"  warning: {m}") : quiet,
            informationHandler: verbose ? m => Console.WriteLine($"  {m}") : quiet,
            verboseHandler: quiet));
        var services = new DesignTimeServicesBuilder(typeof(HubDbContext).Assembly, Assembly.GetExecutingAssembly(), reporter, [])
            .CreateServiceCollection(context);
#pragma warning restore EF1001
        if (idTimestamp is { } timestamp)
        {
            // Registered last, so it wins over the context's generator that the builder added.
            services.AddSingleton<IMigrationsIdGenerator>(
                new SharedTimestampIdGenerator(context.GetService<IMigrationsIdGenerator>(), timestamp));
        }

        // Built like DesignTimeServicesBuilder.Build() does (no scope validation: EF registers the scaffolder as scoped).
        return services.BuildServiceProvider().GetRequiredService<IMigrationsScaffolder>();
    }

    private static string Relative(string projectDir, string? path) =>
        path is null ? "-" : Path.GetRelativePath(projectDir, path);
}

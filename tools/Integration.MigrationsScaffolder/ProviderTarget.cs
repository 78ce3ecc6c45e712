using Integration.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Integration.MigrationsScaffolder;

/// <summary>One provider's context and where its migrations live.</summary>
internal sealed record ProviderTarget(string Name, Func<HubDbContext> CreateContext, string OutputDir, string SubNamespace)
{
    public static IReadOnlyList<ProviderTarget> All(string projectDir) =>
    [
        // Scaffolding never opens a connection, so any well-formed connection string will do. This one names a socket
        // directory that cannot exist: `remove` asks the history table whether the migration was applied, and that
        // question must fail fast (and be skipped, force: true) instead of reaching someone's real database.
        new("Postgres",
            () => new PostgresHubDbContext(new DbContextOptionsBuilder<PostgresHubDbContext>()
                .UseNpgsql("Host=/nonexistent/integration-migrations-scaffolder;Timeout=1").Options),
            Path.Combine(projectDir, "Migrations", "Postgres"),
            "Migrations.Postgres"),
        // An in-memory database is always empty, so `remove` never finds the migration applied.
        new("Sqlite",
            () => new SqliteHubDbContext(new DbContextOptionsBuilder<SqliteHubDbContext>()
                .UseSqlite("Data Source=:memory:").Options),
            Path.Combine(projectDir, "Migrations", "Sqlite"),
            "Migrations.Sqlite"),
    ];
}

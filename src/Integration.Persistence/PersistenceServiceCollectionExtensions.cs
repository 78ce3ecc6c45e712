using Microsoft.Data.Sqlite;
using Npgsql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HubDbContext"/> (and a factory) for the configured provider. Contexts are pooled: every
    /// message takes several, and building one from scratch costs more than its queries. Interceptors registered in
    /// the container (the outbox's commit hook) are attached to every context.
    /// </summary>
    public static IServiceCollection AddHubDatabase(this IServiceCollection services, PersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                services.AddPooledDbContextFactory<PostgresHubDbContext>((sp, o) => o.UseNpgsql(WithHubConnectionSettings(options.ConnectionString)).AddInterceptors(sp.GetServices<IInterceptor>()));
                services.AddSingleton<IDbContextFactory<HubDbContext>>(sp =>
                    new DerivedFactory<PostgresHubDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresHubDbContext>>()));
                break;
            case DatabaseProvider.Sqlite:
                EnsureSqliteDirectory(options.ConnectionString);
                services.AddPooledDbContextFactory<SqliteHubDbContext>((sp, o) => o.UseSqlite(options.ConnectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
                services.AddSingleton<IDbContextFactory<HubDbContext>>(sp =>
                    new DerivedFactory<SqliteHubDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteHubDbContext>>()));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider.");
        }

        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<HubDbContext>>().CreateDbContext());
        services.AddHostedService<DatabaseMigrator>();
        return services;
    }

    /// <summary>
    /// The hub runs the same few dozen statements for every message: let Npgsql prepare them once per connection rather
    /// than have PostgreSQL parse and plan each again, and hand a pooled connection back without resetting its session
    /// (unless the connection string chooses otherwise). The reset is seven statements (RESET ALL, UNLISTEN *, …) each
    /// time a context gives its connection back, five times per message: more statements than the hub's own. The hub
    /// changes no session state (no SET, LISTEN, temporary tables or advisory locks), so there is nothing to reset.
    /// </summary>
    private static string WithHubConnectionSettings(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxAutoPrepare = 100;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase))
        {
            builder.NoResetOnClose = true;
        }

        return builder.ConnectionString;
    }

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    private sealed class DerivedFactory<T>(IDbContextFactory<T> inner) : IDbContextFactory<HubDbContext>
        where T : HubDbContext
    {
        public HubDbContext CreateDbContext() => inner.CreateDbContext();
    }
}

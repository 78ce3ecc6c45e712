using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>Registers <see cref="HubDbContext"/> (and a factory) for the configured provider.</summary>
    public static IServiceCollection AddHubDatabase(this IServiceCollection services, PersistenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                services.AddDbContextFactory<PostgresHubDbContext>(o => o.UseNpgsql(options.ConnectionString));
                services.AddSingleton<IDbContextFactory<HubDbContext>>(sp =>
                    new DerivedFactory<PostgresHubDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresHubDbContext>>()));
                break;
            case DatabaseProvider.Sqlite:
                EnsureSqliteDirectory(options.ConnectionString);
                services.AddDbContextFactory<SqliteHubDbContext>(o => o.UseSqlite(options.ConnectionString));
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

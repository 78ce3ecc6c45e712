using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Integration.Persistence;

/// <summary>Brings the database schema up to date before the hub takes traffic.</summary>
internal sealed class DatabaseMigrator(IDbContextFactory<HubDbContext> factory, PersistenceOptions options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        if (options.Provider == DatabaseProvider.Sqlite)
        {
            // WAL lets the API read while a handler writes; busy_timeout makes writers wait instead of failing.
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

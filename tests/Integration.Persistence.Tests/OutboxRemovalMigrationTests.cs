using Integration.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Integration.Persistence.Tests;

/// <summary>The migration that has sent outbox rows removed (ADR 0024) removes the rows sent before it and keeps the others.</summary>
[Trait("Category", "Integration")]
public sealed class OutboxRemovalMigrationTests
{
    private const string MigrationBefore = "20261207173944_Lz4ForStoredBodies";

    [Fact]
    public async Task GivenSentAndUnsentRowsFromBefore_WhenMigrated_ThenOnlyTheUnsentRowIsLeft()
    {
        var server = await SharedServers.PostgresAsync();
        await using var db = new PostgresHubDbContext(
            new DbContextOptionsBuilder<PostgresHubDbContext>().UseNpgsql(await server.CreateDatabaseAsync()).Options);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(MigrationBefore);
        await db.Database.ExecuteSqlRawAsync("""
            INSERT INTO outbox ("CreatedAt", "Destination", "MessageType", "Body", "SentAt", "Attempts")
            VALUES (now(), 'municipality.163', 'T', 'sent', now(), 1), (now(), 'municipality.163', 'T', 'unsent', NULL, 0)
            """);

        await migrator.MigrateAsync();

        Assert.Equal(["unsent"], await db.Outbox.AsNoTracking().Select(o => o.Body).ToListAsync());
    }
}

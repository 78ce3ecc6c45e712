using Integration.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Integration.Outbound.Tests;

/// <summary>The hub's real schema (SQLite migrations) in memory, for unit tests of the ledger's state changes.</summary>
internal sealed class LedgerDatabase : IDbContextFactory<HubDbContext>, IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly DbContextOptions<SqliteHubDbContext> _options;

    public LedgerDatabase()
    {
        _connection.Open();
        _options = new DbContextOptionsBuilder<SqliteHubDbContext>().UseSqlite(_connection).Options;
        using var db = CreateDbContext();
        db.Database.Migrate();
    }

    public HubDbContext CreateDbContext() => new SqliteHubDbContext(_options);

    public void Dispose() => _connection.Dispose();
}

/// <summary>A clock the test sets.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

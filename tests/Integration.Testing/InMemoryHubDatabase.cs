using Integration.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Integration.Testing;

/// <summary>The hub's real schema (its SQLite migrations) in memory, for unit tests of code that reads and writes it.</summary>
public sealed class InMemoryHubDatabase : IDbContextFactory<HubDbContext>, IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly DbContextOptions<SqliteHubDbContext> _options;

    /// <summary>Opens the in-memory database and applies every migration.</summary>
    public InMemoryHubDatabase()
    {
        _connection.Open();
        _options = new DbContextOptionsBuilder<SqliteHubDbContext>().UseSqlite(_connection).Options;
        using var db = CreateDbContext();
        db.Database.Migrate();
    }

    /// <inheritdoc />
    public HubDbContext CreateDbContext() => new SqliteHubDbContext(_options);

    /// <summary>Closes the connection; the database is gone.</summary>
    public void Dispose() => _connection.Dispose();
}

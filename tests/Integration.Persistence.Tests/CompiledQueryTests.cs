using Integration.Persistence.Messages;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Integration.Persistence.Tests;

/// <summary>
/// The hub's compiled queries run under every model of the process: the end-to-end tests host several hubs in one
/// process, each with a model of its own, and EF binds a bare compiled query to the first model it meets.
/// </summary>
[Trait("Category", "Unit")]
public sealed class CompiledQueryTests
{
    private static readonly CompiledQuery<Func<HubDbContext, List<string>, IAsyncEnumerable<MessageRecord>>> ByHeader = new(() =>
        EF.CompileAsyncQuery((HubDbContext db, List<string> headerIds) => db.Messages.Where(m => headerIds.Contains(m.MessageHeaderId))));

    private static readonly Func<HubDbContext, List<string>, IAsyncEnumerable<MessageRecord>> BareByHeader =
        EF.CompileAsyncQuery((HubDbContext db, List<string> headerIds) => db.Messages.Where(m => headerIds.Contains(m.MessageHeaderId)));

    [Fact]
    public async Task GivenTwoHubsWithModelsOfTheirOwn_WhenBothRunTheQuery_ThenEachFindsItsOwnMessage()
    {
        await using var first = await HubDatabase.CreateAsync("first");
        await using var second = await HubDatabase.CreateAsync("second");
        await using var db1 = first.Context();
        await using var db2 = second.Context();
        Assert.NotSame(db1.Model, db2.Model);

        var found1 = await ByHeader.For(db1)(db1, ["first", "second"]).ToListAsync();
        var found2 = await ByHeader.For(db2)(db2, ["first", "second"]).ToListAsync();

        Assert.Equal("first", Assert.Single(found1).MessageHeaderId);
        Assert.Equal("second", Assert.Single(found2).MessageHeaderId);
    }

    [Fact]
    public async Task GivenABareCompiledQuery_WhenASecondModelRunsIt_ThenEfRefuses()
    {
        // Why CompiledQuery exists: without it the second hub of a process fails every lookup.
        await using var first = await HubDatabase.CreateAsync("first");
        await using var second = await HubDatabase.CreateAsync("second");
        await using var db1 = first.Context();
        await using var db2 = second.Context();

        Assert.Single(await BareByHeader(db1, ["first"]).ToListAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await BareByHeader(db2, ["second"]).ToListAsync());
    }

    /// <summary>A migrated SQLite database in memory whose contexts get a model of their own (no shared EF services).</summary>
    private sealed class HubDatabase : IAsyncDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly DbContextOptions<SqliteHubDbContext> _options;

        private HubDatabase(SqliteConnection connection)
        {
            _connection = connection;
            _options = new DbContextOptionsBuilder<SqliteHubDbContext>().UseSqlite(connection).EnableServiceProviderCaching(false).Options;
        }

        public static async Task<HubDatabase> CreateAsync(string headerId)
        {
            var connection = new SqliteConnection("Data Source=:memory:");
            await connection.OpenAsync();
            var database = new HubDatabase(connection);
            await using var db = database.Context();
            await db.Database.MigrateAsync();
            var id = Guid.NewGuid();
            var now = DateTimeOffset.UtcNow;
            db.Messages.Add(new MessageRecord
            {
                Id = id, SenderKey = "ean:5790000000001", MessageHeaderId = headerId, BundleId = "bundle-" + headerId,
                MessageType = "hospital-notification", CitizenKey = "citizen", ReceivedAt = now, UpdatedAt = now,
                Body = new MessageBody { Id = id, FhirJson = "{}" },
            });
            await db.SaveChangesAsync();
            return database;
        }

        public SqliteHubDbContext Context() => new(_options);

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}

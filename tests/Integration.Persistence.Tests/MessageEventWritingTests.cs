using Integration.Persistence.Messages;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Integration.Persistence.Tests;

/// <summary>
/// A message's history steps (<see cref="HubDbContext.AddEvent"/>) are part of the save they were added to, on both
/// providers: PostgreSQL writes many of them itself, outside EF's change tracker (ADR 0018), and a few in EF's batch
/// (ADR 0020); SQLite always through EF. Each shape is tried with a few steps and with more than EF's batch takes.
/// </summary>
[Trait("Category", "Integration")]
public sealed class MessageEventWritingTests
{
    public static TheoryData<string> Providers => new() { "postgres", "sqlite" };

    /// <summary>Provider and extra steps: none (a few steps, EF's batch on PostgreSQL) or enough to pass
    /// <see cref="HubDbContext.StepsInEfBatchUpTo"/> (one statement of their own on PostgreSQL).</summary>
    public static TheoryData<string, int> ProvidersAndExtraSteps => new()
    {
        { "postgres", 0 }, { "postgres", HubDbContext.StepsInEfBatchUpTo }, { "sqlite", 0 }, { "sqlite", HubDbContext.StepsInEfBatchUpTo },
    };

    [Theory]
    [MemberData(nameof(ProvidersAndExtraSteps))]
    public async Task GivenStepsAddedInATransaction_WhenCommitted_ThenEachIsStoredWithItsInstantInTheOrderAdded(string provider, int extraSteps)
    {
        using var database = await Database.CreateAsync(provider);
        var at = new DateTimeOffset(2026, 6, 1, 9, 30, 0, TimeSpan.FromHours(2)); // MedCom times carry an offset
        Guid messageId;
        await using (var db = database.Context())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var message = TestMessages.New();
            messageId = message.Id;
            db.Messages.Add(message);
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = at, Kind = "received", Detail = "Bundle b-1" });
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = at.AddSeconds(1), Kind = "validated" });
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = at.AddSeconds(2), Kind = "routed", Detail = "municipality.101" });
            for (var i = 0; i < extraSteps; i++)
            {
                db.AddEvent(new MessageEvent { MessageId = message.Id, At = at.AddSeconds(3 + i), Kind = $"extra-{i}" });
            }

            Assert.Equal(4 + extraSteps, await db.SaveChangesAsync());
            await transaction.CommitAsync();
        }

        await using var check = database.Context();
        var steps = await check.MessageEvents.AsNoTracking().Where(e => e.MessageId == messageId).OrderBy(e => e.Id).ToListAsync();
        var extras = Enumerable.Range(0, extraSteps).ToList();
        Assert.Equal(["received", "validated", "routed", .. extras.Select(i => $"extra-{i}")], steps.Select(s => s.Kind));
        Assert.Equal([at, at.AddSeconds(1), at.AddSeconds(2), .. extras.Select(i => at.AddSeconds(3 + i))], steps.Select(s => s.At)); // the same instants
        Assert.Equal(["Bundle b-1", null, "municipality.101", .. extras.Select(_ => (string?)null)], steps.Select(s => s.Detail));
        Assert.True(await check.Messages.AnyAsync(m => m.Id == messageId));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task GivenStepsAddedInATransaction_WhenItRollsBack_ThenNoneIsStored(string provider)
    {
        using var database = await Database.CreateAsync(provider);
        var message = TestMessages.New();
        await using (var db = database.Context())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Messages.Add(message);
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = DateTimeOffset.UtcNow, Kind = "received" });
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        await using var check = database.Context();
        Assert.False(await check.MessageEvents.AnyAsync());
        Assert.False(await check.Messages.AnyAsync());
    }

    [Theory]
    [MemberData(nameof(ProvidersAndExtraSteps))]
    public async Task GivenNoTransaction_WhenAStepCannotBeStored_ThenTheSavesOtherChangesAreNotStoredEither(string provider, int extraSteps)
    {
        using var database = await Database.CreateAsync(provider);
        await using (var db = database.Context())
        {
            var message = TestMessages.New();
            db.Messages.Add(message);
            for (var i = 0; i < extraSteps; i++)
            {
                db.AddEvent(new MessageEvent { MessageId = message.Id, At = DateTimeOffset.UtcNow, Kind = $"extra-{i}" });
            }

            // A step of a message that does not exist breaks the foreign key.
            db.AddEvent(new MessageEvent { MessageId = Guid.NewGuid(), At = DateTimeOffset.UtcNow, Kind = "received" });
            await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync());
        }

        await using var check = database.Context();
        Assert.False(await check.Messages.AnyAsync());
        Assert.False(await check.MessageEvents.AnyAsync());
    }

    [Theory]
    [MemberData(nameof(ProvidersAndExtraSteps))]
    public async Task GivenNoTransaction_WhenSaved_ThenTheStepsAndTheMessageAreStored(string provider, int extraSteps)
    {
        using var database = await Database.CreateAsync(provider);
        var message = TestMessages.New();
        await using (var db = database.Context())
        {
            db.Messages.Add(message);
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = DateTimeOffset.UtcNow, Kind = "received" });
            for (var i = 0; i < extraSteps; i++)
            {
                db.AddEvent(new MessageEvent { MessageId = message.Id, At = DateTimeOffset.UtcNow, Kind = $"extra-{i}" });
            }

            await db.SaveChangesAsync();
            Assert.Null(db.Database.CurrentTransaction); // the save's own transaction is committed and gone
        }

        await using var check = database.Context();
        Assert.Equal(1 + extraSteps, await check.MessageEvents.CountAsync(e => e.MessageId == message.Id));
        Assert.Equal("received", (await check.MessageEvents.OrderBy(e => e.Id).FirstAsync(e => e.MessageId == message.Id)).Kind);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task GivenAPooledContext_WhenStepsWereAddedButNeverSaved_ThenItsNextUseDoesNotStoreThem(string provider)
    {
        using var database = await Database.CreateAsync(provider);
        var pool = database.PooledFactory();
        var message = TestMessages.New();
        HubDbContext first;
        await using (var db = pool.CreateDbContext())
        {
            first = db;
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = DateTimeOffset.UtcNow, Kind = "abandoned" });
        }

        await using (var db = pool.CreateDbContext())
        {
            Assert.Same(first, db); // the pool handed the same instance back
            db.Messages.Add(message);
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = DateTimeOffset.UtcNow, Kind = "received" });
            await db.SaveChangesAsync();
        }

        await using var check = database.Context();
        Assert.Equal(["received"], await check.MessageEvents.Select(e => e.Kind).ToListAsync());
    }


    /// <summary>A migrated database of its own: a new PostgreSQL database on the shared server, or SQLite in memory.</summary>
    private sealed class Database : IDisposable
    {
        private readonly Func<HubDbContext> _context;
        private readonly Func<IDbContextFactory<HubDbContext>> _pooled;
        private readonly IDisposable? _owned;

        private Database(Func<HubDbContext> context, Func<IDbContextFactory<HubDbContext>> pooled, IDisposable? owned)
        {
            _context = context;
            _pooled = pooled;
            _owned = owned;
        }

        public static async Task<Database> CreateAsync(string provider)
        {
            if (provider == "sqlite")
            {
                var memory = new InMemoryHubDatabase();
                using var first = memory.CreateDbContext();
                var connection = first.Database.GetDbConnection(); // the in-memory database's own: it outlives the context
                var sqliteOptions = new DbContextOptionsBuilder<SqliteHubDbContext>().UseSqlite(connection).Options;
                return new Database(memory.CreateDbContext, () => Pooled(new PooledDbContextFactory<SqliteHubDbContext>(sqliteOptions, poolSize: 1)), memory);
            }

            var server = await SharedServers.PostgresAsync();
            var options = new DbContextOptionsBuilder<PostgresHubDbContext>().UseNpgsql(await server.CreateDatabaseAsync()).Options;
            await using (var db = new PostgresHubDbContext(options))
            {
                await db.Database.MigrateAsync();
            }

            return new Database(() => new PostgresHubDbContext(options), () => Pooled(new PooledDbContextFactory<PostgresHubDbContext>(options, poolSize: 1)), null);
        }

        public HubDbContext Context() => _context();

        public IDbContextFactory<HubDbContext> PooledFactory() => _pooled();

        public void Dispose() => _owned?.Dispose();

        private static PoolOf<T> Pooled<T>(PooledDbContextFactory<T> pool)
            where T : HubDbContext => new(pool);

        private sealed class PoolOf<T>(PooledDbContextFactory<T> pool) : IDbContextFactory<HubDbContext>
            where T : HubDbContext
        {
            public HubDbContext CreateDbContext() => pool.CreateDbContext();
        }
    }
}

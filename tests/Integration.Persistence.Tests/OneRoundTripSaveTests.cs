using Integration.Persistence.Messages;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Integration.Persistence.Tests;

/// <summary>
/// On PostgreSQL a save outside a transaction that only inserts goes as one command with no BEGIN and COMMIT, and a
/// few history steps ride in EF's batch (ADR 0020); a save that changes rows keeps EF's transaction. Counted from EF's
/// own events for each command and transaction.
/// </summary>
[Trait("Category", "Integration")]
public sealed class OneRoundTripSaveTests
{
    [Fact]
    public async Task GivenANewMessageWithItsSteps_WhenSavedWithoutATransaction_ThenItIsOneCommandAndNoTransaction()
    {
        var database = await CountingDatabase.CreateAsync();
        var message = TestMessages.New();
        await using (var db = database.Context())
        {
            db.Messages.Add(message);
            db.RawMessages.Add(new RawMessage { Id = Guid.NewGuid(), ReceivedAt = message.ReceivedAt, ContentType = "application/fhir+json", Body = null, Outcome = "accepted", MessageId = message.Id });
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = message.ReceivedAt, Kind = "received" });
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = message.ReceivedAt, Kind = "validated" });
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = message.ReceivedAt, Kind = "routed" });
            database.Reset();
            await db.SaveChangesAsync();
        }

        Assert.Equal((1, 0), (database.Commands, database.Transactions));
        await using var check = database.Context();
        Assert.Equal(["received", "validated", "routed"], await check.MessageEvents.Where(e => e.MessageId == message.Id).OrderBy(e => e.Id).Select(e => e.Kind).ToListAsync());
        Assert.True(await check.RawMessages.AnyAsync(r => r.MessageId == message.Id));
    }

    [Fact]
    public async Task GivenASaveThatChangesARow_WhenSavedWithoutATransaction_ThenItKeepsEfsTransaction()
    {
        var database = await CountingDatabase.CreateAsync();
        var message = TestMessages.New();
        await using (var db = database.Context())
        {
            db.Messages.Add(message);
            await db.SaveChangesAsync();
        }

        await using (var db = database.Context())
        {
            var stored = await db.Messages.SingleAsync(m => m.Id == message.Id);
            stored.DuplicateCount++;
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = DateTimeOffset.UtcNow, Kind = "duplicate" });
            database.Reset();
            await db.SaveChangesAsync();
        }

        // EF checks the rows an update touched after its command: only a transaction can still undo the rest then.
        Assert.Equal(1, database.Transactions);
        await using var check = database.Context();
        Assert.Equal(1, (await check.Messages.SingleAsync(m => m.Id == message.Id)).DuplicateCount);
    }

    [Fact]
    public async Task GivenAFewStepsInTheCallersTransaction_WhenSaved_ThenTheyGoInEfsCommand()
    {
        var database = await CountingDatabase.CreateAsync();
        var message = TestMessages.New();
        await using (var db = database.Context())
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            db.Messages.Add(message);
            var step = new MessageEvent { MessageId = message.Id, At = DateTimeOffset.UtcNow, Kind = "processed" };
            db.AddEvent(step);
            await db.SaveChangesAsync();
            // EF read the identity back: the step was in its command, not in a statement of its own (that sets no Id).
            Assert.True(step.Id > 0);
            await transaction.CommitAsync();
        }

        await using var check = database.Context();
        Assert.True(await check.MessageEvents.AnyAsync(e => e.MessageId == message.Id && e.Kind == "processed"));
    }

    [Fact]
    public async Task GivenAsManyInsertsAsTheProvidersDefaultBatch_WhenSavedWithoutATransaction_ThenTheyAreStillOneCommand()
    {
        // The one-command save relies on Npgsql's provider sending this many rows as one command: were the default lower,
        // a save would be split over commands with no transaction around them.
        var database = await CountingDatabase.CreateAsync();
        var message = TestMessages.New();
        await using (var db = database.Context())
        {
            db.Messages.Add(message); // with its body: two entries, one row
            for (var i = 0; i < HubDbContext.ProviderDefaultMaxBatchSize - 2; i++)
            {
                db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = DateTimeOffset.UtcNow, Kind = "step" });
            }

            database.Reset();
            await db.SaveChangesAsync();
        }

        Assert.Equal((1, 0), (database.Commands, database.Transactions));
    }

    [Fact]
    public async Task GivenMoreInsertsThanOneCommandTakes_WhenSavedWithoutATransaction_ThenTheyShareATransaction()
    {
        var database = await CountingDatabase.CreateAsync();
        var message = TestMessages.New();
        await using (var db = database.Context())
        {
            db.Messages.Add(message);
            for (var i = 0; i < HubDbContext.ProviderDefaultMaxBatchSize; i++)
            {
                db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = DateTimeOffset.UtcNow, Kind = "step" });
            }

            database.Reset();
            await db.SaveChangesAsync();
        }

        Assert.True(database.Commands > 1);
        Assert.Equal(1, database.Transactions);
    }


    /// <summary>A migrated PostgreSQL database of its own whose contexts count the commands and transactions they run.</summary>
    private sealed class CountingDatabase
    {
        private readonly DbContextOptions<PostgresHubDbContext> _options;
        private int _commands;
        private int _transactions;

        private CountingDatabase(string connectionString) =>
            _options = new DbContextOptionsBuilder<PostgresHubDbContext>().UseNpgsql(connectionString)
                .LogTo(Count, [RelationalEventId.CommandExecuted, RelationalEventId.TransactionStarted]).Options;

        public int Commands => Volatile.Read(ref _commands);

        public int Transactions => Volatile.Read(ref _transactions);

        public static async Task<CountingDatabase> CreateAsync()
        {
            var server = await SharedServers.PostgresAsync();
            var database = new CountingDatabase(await server.CreateDatabaseAsync());
            await using var db = database.Context();
            await db.Database.MigrateAsync();
            return database;
        }

        public PostgresHubDbContext Context() => new(_options);

        public void Reset()
        {
            Volatile.Write(ref _commands, 0);
            Volatile.Write(ref _transactions, 0);
        }

        // EF's log line of each event names it ("RelationalEventId.CommandExecuted[20101]").
        private void Count(string line)
        {
            if (line.Contains("CommandExecuted", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _commands);
            }
            else if (line.Contains("TransactionStarted", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _transactions);
            }
        }
    }
}

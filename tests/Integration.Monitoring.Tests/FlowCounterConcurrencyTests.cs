using Integration.Monitoring.Flow;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;

namespace Integration.Monitoring.Tests;

/// <summary>Two hub processes count from one PostgreSQL database at the same moments: every event is counted once.</summary>
[Trait("Category", "Integration")]
public sealed class FlowCounterConcurrencyTests
{
    [Fact]
    public async Task GivenTwoCountersOnPostgres_WhenTheyCountAtTheSameTimeAgainAndAgain_ThenEveryEventIsCountedExactlyOnce()
    {
        var server = await SharedServers.PostgresAsync();
        var factory = new PostgresFactory(await server.CreateDatabaseAsync());
        await using (var db = factory.CreateDbContext())
        {
            await db.Database.MigrateAsync();
        }

        var start = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var clock = new ManualClock(start);
        var options = new DashboardOptions { SettleDelay = TimeSpan.FromSeconds(30) };
        var counters = new[] { new FlowCounter(factory, clock, options), new FlowCounter(factory, clock, options) };
        var events = 0;
        for (var round = 0; round < 40; round++)
        {
            await using (var db = factory.CreateDbContext())
            {
                var message = FlowCounterTests.NewMessage("hospital-notification-message", "163", clock.Now);
                db.Messages.Add(message);
                db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = clock.Now, Kind = "received" });
                db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = clock.Now.AddSeconds(1), Kind = "processed" });
                await db.SaveChangesAsync();
                events += 2;
            }

            clock.Now = clock.Now.AddSeconds(17);
            await Task.WhenAll(counters.Select(c => Task.Run(() => c.CountAsync(CancellationToken.None))));
        }

        clock.Now = clock.Now.AddMinutes(1);
        await counters[0].CountAsync(CancellationToken.None);
        await using var check = factory.CreateDbContext();
        var rows = await check.FlowMinutes.AsNoTracking().ToListAsync();
        Assert.Equal((events / 2, events / 2), (rows.Sum(r => r.Received), rows.Sum(r => r.Processed)));
    }

    private sealed class PostgresFactory(string connectionString) : IDbContextFactory<HubDbContext>
    {
        private readonly DbContextOptions<PostgresHubDbContext> _options = new DbContextOptionsBuilder<PostgresHubDbContext>().UseNpgsql(connectionString).Options;

        public HubDbContext CreateDbContext() => new PostgresHubDbContext(_options);
    }
}

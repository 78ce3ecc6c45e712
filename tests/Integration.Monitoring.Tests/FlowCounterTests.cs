using Integration.Monitoring;
using Integration.Monitoring.Flow;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;

namespace Integration.Monitoring.Tests;

[Trait("Category", "Unit")]
public sealed class FlowCounterTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly DashboardOptions Options = new() { SettleDelay = TimeSpan.FromSeconds(30) };
    private readonly InMemoryHubDatabase _database = new();
    private readonly ManualClock _clock = new(Start);

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GivenEventsOfEveryCountedKind_WhenCounted_ThenEachMinuteTypeAndMunicipalityHasItsFigures()
    {
        await AddMessageAsync("hospital-notification-message", "163", (0, "received"), (1, "validated"), (2, "routed"), (3, "processed"), (4, "ack-delivered"));
        await AddMessageAsync("hospital-notification-message", "163", (10, "received"), (70, "duplicate"), (75, "failed"));
        await AddMessageAsync("care-communication-message", "851", (20, "received"), (21, "parked"));
        await AddMessageAsync("hospital-notification-message", null, (30, "received"), (31, "invalid"));
        await AddMessageAsync("acknowledgement-message", null, (40, "received"), (41, "ack-matched"));
        _clock.Now = Start.AddMinutes(5);

        var counted = await Counter().CountAsync(CancellationToken.None);

        Assert.Equal(12, counted); // validated and routed are steps, not flow figures
        var rows = await RowsAsync();
        Assert.Equal(
            [
                (Start, "acknowledgement-message", "", 1, 0, 1, 0, 0, 0),
                (Start, "care-communication-message", "851", 1, 0, 0, 0, 1, 0),
                (Start, "hospital-notification-message", "", 1, 0, 0, 1, 0, 0),
                (Start, "hospital-notification-message", "163", 2, 0, 1, 0, 0, 1),
                (Start.AddMinutes(1), "hospital-notification-message", "163", 0, 1, 0, 1, 0, 0),
            ],
            rows.Select(r => (r.Minute, r.MessageType, r.MunicipalityCode, r.Received, r.Duplicates, r.Processed, r.Failed, r.Parked, r.AcksDelivered)));
        Assert.Equal(Start.AddMinutes(5) - Options.SettleDelay, await WatermarkAsync());
    }

    [Fact]
    public async Task GivenAnEventYoungerThanTheSettleDelay_WhenCounted_ThenItIsLeftForLaterAndCountedOnce()
    {
        await AddMessageAsync("hospital-notification-message", "163", (0, "received"));
        _clock.Now = Start.AddSeconds(60);
        var counter = Counter();
        await counter.CountAsync(CancellationToken.None);
        // Committed late: stamped 45 s, visible only now. It is inside the settle delay, so the watermark is not past it.
        await AddMessageAsync("hospital-notification-message", "163", (45, "received"));

        Assert.Equal(1, (await RowsAsync()).Sum(r => r.Received));
        _clock.Now = Start.AddSeconds(80);
        Assert.Equal(1, await counter.CountAsync(CancellationToken.None));
        Assert.Equal(0, await counter.CountAsync(CancellationToken.None));
        _clock.Now = Start.AddMinutes(10);
        Assert.Equal(0, await counter.CountAsync(CancellationToken.None));

        var row = Assert.Single(await RowsAsync());
        Assert.Equal((Start, 2), (row.Minute, row.Received));
    }

    [Fact]
    public async Task GivenCountedMinutes_WhenMoreEventsOfTheSameMinuteArrive_ThenTheyAreAddedToTheMinuteNotCountedAgain()
    {
        await AddMessageAsync("hospital-notification-message", "163", (0, "received"), (5, "processed"));
        _clock.Now = Start.AddSeconds(50); // counts up to 20 s
        await Counter().CountAsync(CancellationToken.None);
        await AddMessageAsync("hospital-notification-message", "163", (40, "received"));
        _clock.Now = Start.AddMinutes(3);

        await new FlowCounter(_database, _clock, Options).CountAsync(CancellationToken.None); // another hub process

        var row = Assert.Single(await RowsAsync());
        Assert.Equal((2, 1), (row.Received, row.Processed));
    }

    [Fact]
    public async Task GivenHistoryFromBeforeTheFirstCount_WhenCountedAfterAnHourAndAHalf_ThenItIsCaughtUpInSpansAndAllCounted()
    {
        for (var minute = 0; minute < 90; minute += 7)
        {
            await AddMessageAsync("hospital-notification-message", "163", (minute * 60, "received"));
        }

        _clock.Now = Start.AddHours(2);

        Assert.Equal(13, await Counter().CountAsync(CancellationToken.None));
        Assert.Equal(13, (await RowsAsync()).Count);
        Assert.Equal(_clock.Now - Options.SettleDelay, await WatermarkAsync());
    }

    [Fact]
    public async Task GivenAClockFinerThanTheDatabaseKeeps_WhenCounted_ThenTheCountEndsAtAWholeSecond()
    {
        // 100 ns ticks: the database keeps less, so a watermark at "now - settle delay" read back lies a little
        // before that target; the counter once went on counting forever here.
        await AddMessageAsync("hospital-notification-message", "163", (10, "received"));
        _clock.Now = Start.AddMinutes(5).AddTicks(1_234_567);

        // On its own thread: SQLite completes synchronously, and a count that never ends must fail the test, not hang it.
        var counted = await Task.Run(() => Counter().CountAsync(CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, counted);
        Assert.Equal(Start.AddMinutes(5).AddSeconds(-30), await WatermarkAsync());
        Assert.Equal(0, await Task.Run(() => Counter().CountAsync(CancellationToken.None)).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private FlowCounter Counter() => new(_database, _clock, Options);

    private async Task AddMessageAsync(string type, string? municipality, params (int Second, string Kind)[] events)
    {
        await using var db = _database.CreateDbContext();
        var message = NewMessage(type, municipality, Start.AddSeconds(events[0].Second));
        db.Messages.Add(message);
        db.MessageEvents.AddRange(events.Select(e => new MessageEvent { MessageId = message.Id, At = Start.AddSeconds(e.Second), Kind = e.Kind }));
        await db.SaveChangesAsync();
    }

    internal static MessageRecord NewMessage(string type, string? municipality, DateTimeOffset receivedAt) => new()
    {
        Id = Guid.NewGuid(),
        SenderKey = "sender",
        MessageHeaderId = Guid.NewGuid().ToString(),
        BundleId = Guid.NewGuid().ToString(),
        MessageType = type,
        MunicipalityCode = municipality,
        CitizenKey = "anonymous",
        ReceivedAt = receivedAt,
        UpdatedAt = receivedAt,
        Body = new() { FhirJson = "{}" },
    };

    private async Task<List<Persistence.Statistics.FlowMinute>> RowsAsync()
    {
        await using var db = _database.CreateDbContext();
        var rows = await db.FlowMinutes.AsNoTracking().ToListAsync();
        return [.. rows.OrderBy(r => r.Minute).ThenBy(r => r.MessageType, StringComparer.Ordinal).ThenBy(r => r.MunicipalityCode, StringComparer.Ordinal)];
    }

    private async Task<DateTimeOffset> WatermarkAsync()
    {
        await using var db = _database.CreateDbContext();
        return (await db.FlowWatermarks.SingleAsync(w => w.Counter == FlowCounter.Name)).CountedUntil;
    }
}

using System.Text.Json.Nodes;
using Integration.Contracts;
using Integration.Fhir;
using Integration.Messaging.Outbox;
using Integration.Outbound.Ledger;
using Integration.Persistence.Ledger;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Integration.Outbound.Tests;

[Trait("Category", "Unit")]
public sealed class LedgerSweepTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private const string Message = """{"resourceType":"Bundle","id":"first-bundle","type":"message","timestamp":"2026-11-23T09:00:00+01:00","entry":[{"fullUrl":"https://example.org/MessageHeader/header-1","resource":{"resourceType":"MessageHeader","id":"header-1"}}]}""";
    private readonly InMemoryHubDatabase _database = new();
    private readonly ManualClock _clock = new(Start);
    private readonly LedgerOptions _options = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GivenNoAckBeforeTheDeadline_WhenSwept_ThenNothingHappens()
    {
        await SentAsync(SentMessageState.AwaitingAck, sendings: 1);
        _clock.Now = Start + _options.AckTimeout - TimeSpan.FromSeconds(1);

        Assert.Equal(0, await SweepAsync());
    }

    [Fact]
    public async Task GivenNoAckPastTheDeadline_WhenSwept_ThenResentInANewEnvelopeWithTheSameHeader()
    {
        var row = await SentAsync(SentMessageState.AwaitingAck, sendings: 1);
        _clock.Now = Start + _options.AckTimeout + TimeSpan.FromSeconds(1);

        Assert.Equal(1, await SweepAsync());

        await using var db = _database.CreateDbContext();
        var resent = await db.SentMessages.SingleAsync(s => s.Id == row.Id);
        Assert.Equal(SentMessageState.Sent, resent.State);
        Assert.Equal(2, resent.Sendings);
        Assert.NotEqual("first-bundle", resent.CurrentBundleId);
        var bundle = JsonNode.Parse(resent.FhirJson)!;
        Assert.Equal(resent.CurrentBundleId, (string?)bundle["id"]);
        Assert.Equal("header-1", (string?)bundle["entry"]![0]!["resource"]!["id"]);
        Assert.Equal(_clock.Now + _options.AckTimeout, resent.AckDeadline);
        var delivery = await db.Outbox.SingleAsync(o => o.MessageType == typeof(DeliverSentMessage).FullName);
        Assert.Contains(resent.CurrentBundleId, delivery.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenTheLastResendUnanswered_WhenSwept_ThenInErrorAndNotSentAgain()
    {
        var row = await SentAsync(SentMessageState.AwaitingAck, sendings: 1 + _options.MaxResends);
        _clock.Now = Start + _options.AckTimeout + TimeSpan.FromSeconds(1);

        Assert.Equal(1, await SweepAsync());

        await using var db = _database.CreateDbContext();
        var settled = await db.SentMessages.SingleAsync(s => s.Id == row.Id);
        Assert.Equal(SentMessageState.InError, settled.State);
        Assert.Equal(3, settled.Sendings);
        Assert.False(await db.Outbox.AnyAsync());
        _clock.Now += TimeSpan.FromDays(1);
        Assert.Equal(0, await SweepAsync());
    }

    [Fact]
    public async Task GivenAWaitingRetryThatIsDue_WhenSwept_ThenResent()
    {
        var row = await SentAsync(SentMessageState.WaitingForRetry, sendings: 1, nextAttempt: Start + _options.RetryDelay);
        _clock.Now = Start + _options.RetryDelay;

        Assert.Equal(1, await SweepAsync());

        await using var db = _database.CreateDbContext();
        Assert.Equal(2, (await db.SentMessages.SingleAsync(s => s.Id == row.Id)).Sendings);
    }

    [Fact]
    public async Task GivenAcknowledgedAndInErrorMessages_WhenSweptLongAfter_ThenNeitherIsTouched()
    {
        await SentAsync(SentMessageState.Acknowledged, sendings: 1);
        await SentAsync(SentMessageState.InError, sendings: 1);
        _clock.Now = Start + TimeSpan.FromDays(30);

        Assert.Equal(0, await SweepAsync());
    }

    private Task<int> SweepAsync() =>
        new LedgerSweep(_database, FhirServices.MessageReenveloper, _options, _clock, NullLogger<LedgerSweep>.Instance)
            .RunOnceAsync(CancellationToken.None);

    private async Task<SentMessage> SentAsync(SentMessageState state, int sendings, DateTimeOffset? nextAttempt = null)
    {
        await using var db = _database.CreateDbContext();
        var row = new SentMessage
        {
            Id = Guid.NewGuid(),
            MessageHeaderId = "header-1",
            MessageType = MessageTypes.CareCommunication,
            ReceiverPartnerId = $"partner-{Guid.NewGuid():N}",
            CurrentBundleId = "first-bundle",
            FhirJson = Message,
            State = state,
            Sendings = sendings,
            CreatedAt = Start,
            LastSentAt = Start,
            AckDeadline = state is SentMessageState.AwaitingAck or SentMessageState.Sent ? Start + _options.AckTimeout : null,
            NextAttemptAt = nextAttempt,
            UpdatedAt = Start,
        };
        db.SentMessages.Add(row);
        await db.SaveChangesAsync();
        return row;
    }
}

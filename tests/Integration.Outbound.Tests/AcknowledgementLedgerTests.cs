using Integration.Contracts;
using Integration.Fhir;
using Integration.Outbound.Ledger;
using Integration.Persistence.Ledger;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;

namespace Integration.Outbound.Tests;

[Trait("Category", "Unit")]
public sealed class AcknowledgementLedgerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private readonly InMemoryHubDatabase _database = new();
    private readonly ManualClock _clock = new(Start);
    private readonly LedgerOptions _options = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GivenAnOkAck_WhenApplied_ThenAcknowledgedWithNoDeadline()
    {
        var row = await SentAsync(sendings: 1);

        var (match, applied) = await ApplyAsync(row, AcknowledgementCode.Ok);

        Assert.Equal(AcknowledgementMatch.Matched, match);
        Assert.Equal(SentMessageState.Acknowledged, applied!.State);
        Assert.Null(applied.AckDeadline);
        Assert.Equal("ok", applied.AckCode);
    }

    [Fact]
    public async Task GivenATransientErrorAckWithResendsLeft_WhenApplied_ThenWaitingForRetryAfterTheRetryDelay()
    {
        var row = await SentAsync(sendings: 2);

        var (_, applied) = await ApplyAsync(row, AcknowledgementCode.TransientError, MedComIssueCodes.MailboxOutOfOperation);

        Assert.Equal(SentMessageState.WaitingForRetry, applied!.State);
        Assert.Equal(Start + _options.RetryDelay, applied.NextAttemptAt);
        Assert.Equal(MedComIssueCodes.MailboxOutOfOperation, applied.AckIssueCode);
    }

    [Fact]
    public async Task GivenATransientErrorAckAfterTheLastResend_WhenApplied_ThenInError()
    {
        var row = await SentAsync(sendings: 1 + _options.MaxResends);

        var (_, applied) = await ApplyAsync(row, AcknowledgementCode.TransientError, MedComIssueCodes.MailboxOutOfOperation);

        Assert.Equal(SentMessageState.InError, applied!.State);
        Assert.Null(applied.NextAttemptAt);
        Assert.Contains("no resends left", applied.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GivenAFatalErrorAck_WhenApplied_ThenInErrorAndNeverDue()
    {
        var row = await SentAsync(sendings: 1);

        var (_, applied) = await ApplyAsync(row, AcknowledgementCode.FatalError, MedComIssueCodes.ValueSetValueUnknown);

        Assert.Equal(SentMessageState.InError, applied!.State);
        Assert.Null(applied.AckDeadline);
        Assert.Null(applied.NextAttemptAt);
    }

    [Fact]
    public async Task GivenAnAckFromAnotherPartner_WhenApplied_ThenUnmatchedAndNothingChanges()
    {
        var row = await SentAsync(sendings: 1);

        var (match, _) = await ApplyAsync(row, AcknowledgementCode.Ok, acknowledgingPartner: "someone-else");

        Assert.Equal(AcknowledgementMatch.Unmatched, match);
        await using var db = _database.CreateDbContext();
        Assert.Equal(SentMessageState.AwaitingAck, (await db.SentMessages.SingleAsync(s => s.Id == row.Id)).State);
    }

    [Fact]
    public async Task GivenAnAckForASettledMessage_WhenApplied_ThenAlreadySettledAndTheFirstAnswerStands()
    {
        var row = await SentAsync(sendings: 1);
        await ApplyAsync(row, AcknowledgementCode.FatalError, MedComIssueCodes.ValueSetValueUnknown);

        var (match, applied) = await ApplyAsync(row, AcknowledgementCode.Ok);

        Assert.Equal(AcknowledgementMatch.AlreadySettled, match);
        Assert.Equal(SentMessageState.InError, applied!.State);
        Assert.Equal("fatal-error", applied.AckCode);
    }

    [Fact]
    public async Task GivenARelayedMessage_WhenItsAckArrives_ThenTheAckIsQueuedBackToTheOrigin()
    {
        var row = await SentAsync(sendings: 1, origin: "hospital-a");

        await ApplyAsync(row, AcknowledgementCode.Ok);

        await using var db = _database.CreateDbContext();
        var relay = await db.Outbox.SingleAsync(o => o.MessageType == typeof(RelayAcknowledgement).FullName);
        Assert.Contains("hospital-a", relay.Body, StringComparison.Ordinal);
    }

    private async Task<SentMessage> SentAsync(int sendings, string? origin = null)
    {
        await using var db = _database.CreateDbContext();
        var row = new SentMessage
        {
            Id = Guid.NewGuid(),
            MessageHeaderId = Guid.NewGuid().ToString(),
            MessageType = MessageTypes.CareCommunication,
            ReceiverPartnerId = "gp-b",
            OriginPartnerId = origin,
            CurrentBundleId = Guid.NewGuid().ToString(),
            FhirJson = "{}",
            State = SentMessageState.AwaitingAck,
            Sendings = sendings,
            CreatedAt = Start,
            LastSentAt = Start,
            AckDeadline = Start + _options.AckTimeout,
            UpdatedAt = Start,
        };
        db.SentMessages.Add(row);
        await db.SaveChangesAsync();
        return row;
    }

    private async Task<(AcknowledgementMatch, SentMessage?)> ApplyAsync(
        SentMessage row, AcknowledgementCode code, string? issue = null, string acknowledgingPartner = "gp-b")
    {
        await using var db = _database.CreateDbContext();
        var ledger = new AcknowledgementLedger(_options, _clock);
        var acknowledgement = new ReceivedAcknowledgement(row.MessageHeaderId, code, issue is null ? [] : [new MedComIssue(issue, "test", null)]);
        var result = await ledger.ApplyAsync(db, acknowledgement, acknowledgingPartner, Guid.NewGuid(), CancellationToken.None);
        await db.SaveChangesAsync();
        return result;
    }
}

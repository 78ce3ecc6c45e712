using System.Net;
using Integration.Contracts;
using Integration.Messaging;
using Integration.Outbound.Delivery;
using Integration.Partners;
using Integration.Persistence.Messages;
using Integration.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Integration.Outbound.Tests;

/// <summary>Acknowledgements delivered right after their commit (ADR 0011): delivered and recorded once; a partner that
/// does not take one sends it, and the partner's next ones for 30 s, to the broker path.</summary>
[Trait("Category", "Unit")]
public sealed class InProcessAcknowledgementDeliveryTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private static readonly Partner Hospital = new()
    {
        Id = "test-hospital",
        Name = "Test hospital",
        Kind = PartnerKind.Hospital,
        Delivery = new DeliveryChannel { Type = DeliveryChannelType.Http, Endpoint = new Uri("http://hospital.invalid/fhir") },
    };

    private readonly InMemoryHubDatabase _database = new();
    private readonly ManualClock _clock = new(Start);
    private readonly CountingHandler _hospital = new();
    private readonly InProcessAcknowledgementDelivery _delivery;

    public InProcessAcknowledgementDeliveryTests()
    {
        var partnerDelivery = new PartnerDelivery(new SingleClientFactory(_hospital), new NoSendEndpoints());
        var acknowledgements = new AcknowledgementDelivery(_database, new PartnerRegistry([Hospital]), partnerDelivery, _clock, NullLogger<AcknowledgementDelivery>.Instance);
        _delivery = new InProcessAcknowledgementDelivery(acknowledgements, _clock, NullLogger<InProcessAcknowledgementDelivery>.Instance);
    }

    public void Dispose()
    {
        _database.Dispose();
        _hospital.Dispose();
    }

    [Fact]
    public void GivenOutboxRows_WhenOffered_ThenOnlyAcknowledgementDeliveriesToTheOutboundQueueAreTaken()
    {
        Assert.True(_delivery.Takes(QueueNames.Outbound, typeof(DeliverAcknowledgement)));
        Assert.False(_delivery.Takes(QueueNames.Outbound, typeof(DeliverSentMessage)));
        Assert.False(_delivery.Takes(QueueNames.Municipality("163"), typeof(DeliverAcknowledgement)));
    }

    [Fact]
    public async Task GivenAPartnerThatTakesIt_WhenDelivered_ThenPostedOnceAndRecordedAsDelivered()
    {
        var command = await StoredAcknowledgementAsync();

        Assert.True(await _delivery.TryHandleAsync(command, CancellationToken.None));
        Assert.True(await _delivery.TryHandleAsync(command, CancellationToken.None)); // the same delivery again: nothing more is sent

        Assert.Equal(1, _hospital.Calls);
        await using var db = _database.CreateDbContext();
        var ack = await db.Acknowledgements.SingleAsync(a => a.Id == command.AcknowledgementId);
        Assert.Equal(Start, ack.DeliveredAt);
        Assert.Equal(1, await db.MessageEvents.CountAsync(e => e.MessageId == command.MessageId && e.Kind == "ack-delivered"));
    }

    [Fact]
    public async Task GivenAPartnerThatFails_WhenDelivered_ThenLeftToTheBrokerAndItsNextAcknowledgementsToo_UntilThirtySecondsHavePassed()
    {
        _hospital.Status = HttpStatusCode.BadRequest; // not retried by the HTTP client: one call per attempt
        var first = await StoredAcknowledgementAsync();
        var second = await StoredAcknowledgementAsync();

        Assert.False(await _delivery.TryHandleAsync(first, CancellationToken.None));
        Assert.Equal(1, _hospital.Calls);
        Assert.False(await _delivery.TryHandleAsync(second, CancellationToken.None));
        Assert.Equal(1, _hospital.Calls); // not tried: the broker path has this partner for now

        _hospital.Status = HttpStatusCode.OK;
        _clock.Now = Start + InProcessAcknowledgementDelivery.BrokerOnlyAfterFailure + TimeSpan.FromSeconds(1);
        Assert.True(await _delivery.TryHandleAsync(second, CancellationToken.None));
        Assert.Equal(2, _hospital.Calls);

        await using var db = _database.CreateDbContext();
        Assert.Null((await db.Acknowledgements.SingleAsync(a => a.Id == first.AcknowledgementId)).DeliveredAt);
        Assert.NotNull((await db.Acknowledgements.SingleAsync(a => a.Id == second.AcknowledgementId)).DeliveredAt);
    }

    private async Task<DeliverAcknowledgement> StoredAcknowledgementAsync()
    {
        var messageId = Guid.NewGuid();
        var ackId = Guid.NewGuid();
        await using var db = _database.CreateDbContext();
        db.Messages.Add(new MessageRecord
        {
            Id = messageId,
            SenderKey = "ean:5790000000000",
            MessageHeaderId = Guid.NewGuid().ToString(),
            BundleId = Guid.NewGuid().ToString(),
            MessageType = "hospital-notification-message",
            CitizenKey = "citizen",
            FhirJson = "{}",
            ReceivedAt = Start,
            UpdatedAt = Start,
        });
        db.Acknowledgements.Add(new AcknowledgementRecord
        {
            Id = ackId,
            MessageId = messageId,
            AckMessageHeaderId = Guid.NewGuid().ToString(),
            AckBundleId = Guid.NewGuid().ToString(),
            Code = "ok",
            FhirJson = """{"resourceType":"Bundle"}""",
            CreatedAt = Start,
            PartnerId = Hospital.Id,
            Channel = "http",
        });
        await db.SaveChangesAsync();
        return new DeliverAcknowledgement { AcknowledgementId = ackId, MessageId = messageId, DeliveryId = Guid.NewGuid(), PartnerId = Hospital.Id };
    }

    /// <summary>The partner's HTTP endpoint: answers with <see cref="Status"/> and counts the calls.</summary>
    private sealed class CountingHandler : HttpMessageHandler
    {
        private int _calls;

        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        public int Calls => _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult(new HttpResponseMessage(Status));
        }
    }

    private sealed class SingleClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    /// <summary>HTTP partners only here: a queue delivery would be a test error.</summary>
    private sealed class NoSendEndpoints : ISendEndpointProvider
    {
        public ConnectHandle ConnectSendObserver(ISendObserver observer) => throw new NotSupportedException();

        public Task<ISendEndpoint> GetSendEndpoint(Uri address) => throw new NotSupportedException();
    }
}

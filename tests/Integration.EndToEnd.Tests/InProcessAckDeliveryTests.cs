using System.Net;
using Integration.Messaging;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;
using Task = System.Threading.Tasks.Task;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// Acknowledgements are delivered in process straight after the municipal handler's commit (ADR 0013); the broker's
/// hub.outbound queue carries only those the in-process attempt could not deliver. The queue is parked (its exchange
/// re-bound to a parking queue, as behind a stopped consumer) to tell the two paths apart.
/// </summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class InProcessAckDeliveryTests(HubFixture hub)
{
    /// <summary>One attempt of the partner HTTP client: the first try and its three quick retries.</summary>
    private const int RequestsPerAttempt = 4;

    [Fact]
    public async Task GivenHubOutboundParked_WhenANotificationIsPosted_ThenItsAckIsDeliveredWithoutTheBroker()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        await using var parked = await ParkedExchange.ParkAsync(hub.Rabbit, QueueNames.Outbound);
        var resumed = false;
        try
        {
            var deliveryInboxBefore = await DeliveryInboxRowsAsync();
            using var response = await hub.PostAsync(message.Json);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

            var trace = await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
            Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
            Assert.Single(hub.Hospital.AcknowledgementsFor(message.MessageHeaderId));

            // Its delivery command never went to the broker. (MassTransit declares a queue's binding again when it first
            // sends to it, so a command sent through the broker would have reached both the queue and the parking queue.)
            await using var db = await hub.Db.CreateDbContextAsync();
            var ackId = (await db.Acknowledgements.SingleAsync(a => db.Messages.Any(m => m.Id == a.MessageId && m.MessageHeaderId == message.MessageHeaderId))).Id;

            // Its outbox row was removed with the outcome (ADR 0024), so no copy can follow, and no inbox row was kept for
            // the delivery: with hub.outbound parked, no delivery from the broker can have added one meanwhile.
            Assert.False(await db.Outbox.AnyAsync(o => o.Destination == QueueNames.Outbound && o.Body.Contains(ackId.ToString())));
            Assert.Equal(deliveryInboxBefore, await DeliveryInboxRowsAsync());

            var throughTheBroker = await parked.ResumeAsync(); // anything else the other tests sent meanwhile goes on
            resumed = true;
            Assert.DoesNotContain(throughTheBroker, body => body.Contains(ackId.ToString(), StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            if (!resumed)
            {
                await parked.ResumeAsync();
            }
        }
    }

    [Fact]
    public async Task GivenTheHospitalFailsTheInProcessAttempt_WhenHubOutboundIsParked_ThenTheAckWaitsInTheBrokerUntilResumed()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        var failuresBefore = hub.Hospital.FailedRequests;
        await using var parked = await ParkedExchange.ParkAsync(hub.Rabbit, QueueNames.Outbound);
        var resumed = false;
        try
        {
            hub.Hospital.FailNext(int.MaxValue / 2); // every request, until the in-process attempt has given up
            using var response = await hub.PostAsync(message.Json);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((hub.Hospital.FailedRequests - failuresBefore < RequestsPerAttempt || await parked.BacklogAsync() == 0) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            hub.Hospital.FailNext(0);
            Assert.True(hub.Hospital.FailedRequests - failuresBefore >= RequestsPerAttempt, "no in-process attempt reached the hospital");
            Assert.True(await parked.BacklogAsync() > 0, "the failed in-process delivery was not handed to the broker");
            Assert.Empty(hub.Hospital.AcknowledgementsFor(message.MessageHeaderId));

            Assert.NotEmpty(await parked.ResumeAsync());
            resumed = true;
            // Sooner than the outbox lease (30 s) after which the dispatcher would send a row the sender had dropped.
            var trace = await hub.Http.WaitForDeliveredAckAsync(message.MessageHeaderId, TimeSpan.FromSeconds(20));
            Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
            Assert.Single(hub.Hospital.AcknowledgementsFor(message.MessageHeaderId));
        }
        finally
        {
            hub.Hospital.FailNext(0);
            if (!resumed)
            {
                await parked.ResumeAsync();
            }
        }
    }

    /// <summary>Inbox rows of the acknowledgement deliveries (DeliverAcknowledgementConsumer's inbox consumer).</summary>
    private async Task<int> DeliveryInboxRowsAsync()
    {
        await using var db = await hub.Db.CreateDbContextAsync();
        return await db.Inbox.CountAsync(i => i.Consumer == "outbound.ack-delivery");
    }
}

using System.Net;
using Integration.Contracts;
using Integration.Fhir;
using Integration.Messaging;
using Integration.Municipal.Stays;
using Integration.Persistence.Messages;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;
using Task = System.Threading.Tasks.Task;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// The first delivery of a notification's command in the process that took the message attaches the message as ingress
/// stored it instead of reading it back (ADR 0021). What may have happened to the row in between must survive, and an
/// entry that is wrong about "first" must not apply anything twice.
/// </summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class FirstDeliveryTests(HubFixture hub)
{
    private const string Municipality = "163"; // the receiver of MedCom's HospitalNotification examples

    [Fact]
    public async Task GivenAResendWhileTheCommandWaitsInTheBroker_WhenTheFirstDeliveryApplies_ThenTheResendIsKeptAndItIsAppliedOnce()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        await using var parked = await ParkedExchange.ParkAsync(hub.Rabbit, $"municipality.{Municipality}");
        var resumed = false;
        try
        {
            using (var first = await hub.PostAsync(message.Json))
            {
                Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            }

            await WaitUntilAsync(async () => await parked.BacklogAsync() > 0, "the command never reached the parked queue");
            using (var resend = await hub.PostAsync(message.Json))
            {
                Assert.Equal(HttpStatusCode.Accepted, resend.StatusCode);
            }

            await using (var db = await hub.Db.CreateDbContextAsync())
            {
                var waiting = await db.Messages.AsNoTracking().SingleAsync(m => m.MessageHeaderId == message.MessageHeaderId);
                Assert.Equal(MessageState.Routed, waiting.State);
                Assert.Equal(1, waiting.DuplicateCount); // written by the resend after ingress left its copy for the handler
            }

            await parked.ResumeAsync();
            resumed = true;
        }
        finally
        {
            if (!resumed)
            {
                await parked.ResumeAsync();
            }
        }

        var trace = await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        Assert.Equal("processed", (string?)trace["state"]);
        Assert.Equal("STIN", (string?)trace["eventCode"]);
        await using var after = await hub.Db.CreateDbContextAsync();
        var applied = await after.Messages.AsNoTracking().SingleAsync(m => m.MessageHeaderId == message.MessageHeaderId);
        Assert.Equal(MessageState.Processed, applied.State);
        Assert.Equal(1, applied.DuplicateCount); // only the columns the handler changed were written
        Assert.Equal(1, await after.Inbox.CountAsync(i => i.MessageHeaderId == message.MessageHeaderId));
        Assert.Equal(1, await after.HospitalStays.Where(s => s.CitizenCpr == message.Cpr).SelectMany(s => s.Events).CountAsync());
    }

    [Fact]
    public async Task GivenAnEntryForAMessageAppliedBefore_WhenItsCommandComesAgain_ThenNothingIsAppliedTwice()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("d3128d9b"));
        using (var response = await hub.PostAsync(message.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        await using var db = await hub.Db.CreateDbContextAsync();
        var stored = await db.Messages.AsNoTracking().Include(m => m.Body).SingleAsync(m => m.MessageHeaderId == message.MessageHeaderId);
        var command = CommandOf(stored);
        var before = await CountsAsync(stored.Id, message);

        // As if another hub process had applied the message and its command then came to this one, where ingress had
        // left an entry: the entry claims a first delivery that is not.
        var services = hub.Hub.Services;
        var notification = services.GetRequiredService<IHospitalNotificationReader>().Read(stored.Body.FhirJson);
        services.GetRequiredService<ReadAhead>().Put(stored.Id, new IngestedMessage<HospitalNotificationResult>(stored.CopyOfColumns(), notification));
        var handler = services.GetRequiredService<HospitalNotificationHandler>();

        // Its write collides with what was written when the message was applied (unique keys) and is refused as a whole;
        // the consumer's retry policy (MunicipalEndpoints) tries again, without the entry, and finds it applied before.
        await Assert.ThrowsAsync<DbUpdateException>(() => handler.HandleAsync(command));
        await handler.HandleAsync(command);

        Assert.Null(services.GetRequiredService<ReadAhead>().Take<IngestedMessage<HospitalNotificationResult>>(stored.Id));
        Assert.Equal(before, await CountsAsync(stored.Id, message));
        Assert.Single(hub.Hospital.AcknowledgementsFor(message.MessageHeaderId));
    }

    /// <summary>The router's command for the message, as it was sent (its outbox row is removed once the broker has it).</summary>
    private static ApplyHospitalNotification CommandOf(MessageRecord stored) => new()
    {
        MessageId = stored.Id,
        MunicipalityCode = stored.MunicipalityCode!,
        ReceiverPartnerId = stored.ReceiverPartnerId!,
        SenderPartnerId = stored.SenderPartnerId!,
        SenderKey = stored.SenderKey,
        MessageHeaderId = stored.MessageHeaderId,
        CitizenKey = stored.CitizenKey,
    };

    /// <summary>Inbox rows, stay events, acknowledgements and "processed" steps of the message.</summary>
    private async Task<(int Inbox, int StayEvents, int Acknowledgements, int Processed)> CountsAsync(Guid messageId, ExampleVariants.Variant message)
    {
        await using var db = await hub.Db.CreateDbContextAsync();
        return (
            await db.Inbox.CountAsync(i => i.MessageHeaderId == message.MessageHeaderId),
            await db.HospitalStays.Where(s => s.CitizenCpr == message.Cpr).SelectMany(s => s.Events).CountAsync(),
            await db.Acknowledgements.CountAsync(a => a.MessageId == messageId),
            await db.MessageEvents.CountAsync(e => e.MessageId == messageId && e.Kind == "processed"));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}

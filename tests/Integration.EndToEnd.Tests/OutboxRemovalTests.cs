using System.Net;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;
using Task = System.Threading.Tasks.Task;

namespace Integration.EndToEnd.Tests;

/// <summary>An outbox row is removed once it is sent (ADR 0024): the table holds only what is still to be sent.</summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class OutboxRemovalTests(HubFixture hub)
{
    [Fact]
    public async Task GivenANotificationAcknowledged_WhenTheSendsAreRecorded_ThenNoOutboxRowOfItIsLeft()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        using (var response = await hub.PostAsync(message.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        await using var db = await hub.Db.CreateDbContextAsync();
        var id = (await db.Messages.AsNoTracking().SingleAsync(m => m.MessageHeaderId == message.MessageHeaderId)).Id.ToString();

        // Both of its rows (the municipality's command and the acknowledgement's delivery) name the message. The sender
        // removes what the broker confirmed within about a second (OutboxSender.RemoveGather); the in-process delivery's
        // row went with its outcome.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        int left;
        while ((left = await db.Outbox.CountAsync(o => o.Body.Contains(id))) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, left);
    }
}

using System.Net;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;
using Task = System.Threading.Tasks.Task;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// The ids the hub makes for what it stores and sends are time-ordered (UUIDv7), so the indexes that hold them grow at
/// their right edge (docs/adr/0023-time-ordered-ids.md): a message, its raw body, its hospital stay, its acknowledgement
/// and the acknowledgement's own MessageHeader.
/// </summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class TimeOrderedIdsTests(HubFixture hub)
{
    [Fact]
    public async Task GivenTwoNotificationsOneAfterTheOther_WhenTheyAreApplied_ThenEveryIdTheHubMadeIsTimeOrdered()
    {
        var first = await PostAndWaitAsync(ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880")));
        await Task.Delay(5); // a UUIDv7 orders by the millisecond; within one it is random
        var second = await PostAndWaitAsync(ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880")));

        await using var db = await hub.Db.CreateDbContextAsync();
        var ids = new List<(Guid Message, Guid Raw, Guid Stay, Guid Ack, Guid AckHeader)>();
        foreach (var message in new[] { first, second })
        {
            var stored = await db.Messages.AsNoTracking().SingleAsync(m => m.MessageHeaderId == message.MessageHeaderId);
            var raw = await db.RawMessages.AsNoTracking().SingleAsync(r => r.MessageId == stored.Id);
            var stay = await db.HospitalStays.AsNoTracking().SingleAsync(s => s.CitizenCpr == message.Cpr);
            var ack = await db.Acknowledgements.AsNoTracking().SingleAsync(a => a.MessageId == stored.Id);
            ids.Add((stored.Id, raw.Id, stay.Id, ack.Id, Guid.Parse(ack.AckMessageHeaderId)));
        }

        foreach (var id in ids.SelectMany(i => new[] { i.Message, i.Raw, i.Stay, i.Ack, i.AckHeader }))
        {
            Assert.Equal(7, id.Version);
        }

        // The second message's ids sort after the first's, in .NET and in PostgreSQL's uuid order alike.
        Assert.True(ids[0].Message.CompareTo(ids[1].Message) < 0);
        Assert.True(ids[0].Ack.CompareTo(ids[1].Ack) < 0);
        var messageIds = new[] { ids[0].Message, ids[1].Message };
        var inDatabaseOrder = await db.Messages.AsNoTracking()
            .Where(m => messageIds.Contains(m.Id)).OrderBy(m => m.Id).Select(m => m.Id).ToListAsync();
        Assert.Equal(messageIds, inDatabaseOrder);
    }

    private async Task<ExampleVariants.Variant> PostAndWaitAsync(ExampleVariants.Variant message)
    {
        using (var response = await hub.PostAsync(message.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        return message;
    }
}

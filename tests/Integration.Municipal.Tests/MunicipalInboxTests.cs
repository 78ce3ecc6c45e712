using Integration.Persistence.Messages;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;

namespace Integration.Municipal.Tests;

[Trait("Category", "Unit")]
public sealed class MunicipalInboxTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryHubDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GivenAStoredMessage_WhenEntered_ThenItComesWithItsBodyAndIsNotEnteredAgain()
    {
        var id = await StoreAsync("{\"resourceType\":\"Bundle\",\"id\":\"b\"}");

        await using (var db = _database.CreateDbContext())
        {
            var message = await MunicipalInbox.EnterAsync(db, "test.consumer", "sender", "header-1", id, At, CancellationToken.None);
            Assert.Equal("{\"resourceType\":\"Bundle\",\"id\":\"b\"}", message!.Body.FhirJson);
            await db.SaveChangesAsync();
        }

        await using var again = _database.CreateDbContext();
        Assert.Null(await MunicipalInbox.EnterAsync(again, "test.consumer", "sender", "header-1", id, At, CancellationToken.None));
        Assert.NotNull(await MunicipalInbox.EnterAsync(again, "other.consumer", "sender", "header-1", id, At, CancellationToken.None));
    }

    [Fact]
    public async Task GivenARecordReadWithoutItsBody_WhenChanged_ThenTheBodyColumnIsKept()
    {
        // The notification handler reads messages without their FHIR JSON (ingress read the facts) and updates them.
        var id = await StoreAsync("{\"resourceType\":\"Bundle\",\"id\":\"b\"}");

        await using (var db = _database.CreateDbContext())
        {
            var message = await db.Messages.SingleAsync(m => m.Id == id);
            Assert.Null(message.Body); // the row's FHIR JSON stays in the database
            MunicipalInbox.Enter(db, message, "test.consumer", "sender", "header-1", At.AddMinutes(1));
            message.State = MessageState.Processed;
            await db.SaveChangesAsync();
        }

        await using var read = _database.CreateDbContext();
        var stored = await MunicipalInbox.EnterAsync(read, "other.consumer", "sender", "header-1", id, At, CancellationToken.None);
        Assert.Equal(MessageState.Processed, stored!.State);
        Assert.Equal("{\"resourceType\":\"Bundle\",\"id\":\"b\"}", stored.Body.FhirJson);
        Assert.Null(await MunicipalInbox.EnterAsync(read, "test.consumer", "sender", "header-1", id, At, CancellationToken.None));
    }

    private async Task<Guid> StoreAsync(string fhirJson)
    {
        var id = Guid.NewGuid();
        await using var db = _database.CreateDbContext();
        db.Messages.Add(new MessageRecord
        {
            Id = id,
            SenderKey = "sender",
            MessageHeaderId = "header-1",
            BundleId = "bundle-1",
            MessageType = "hospital-notification",
            CitizenKey = "k",
            ReceivedAt = At,
            UpdatedAt = At,
            Body = new MessageBody { Id = id, FhirJson = fhirJson },
        });
        await db.SaveChangesAsync();
        return id;
    }
}

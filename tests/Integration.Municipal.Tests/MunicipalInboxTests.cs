using Integration.Persistence.Messages;
using Integration.Testing;

namespace Integration.Municipal.Tests;

[Trait("Category", "Unit")]
public sealed class MunicipalInboxTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private readonly InMemoryHubDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task GivenAStoredMessage_WhenEnteredWithoutItsBody_ThenTheBodyIsNotReadUntilAskedFor()
    {
        var id = await StoreAsync("{\"resourceType\":\"Bundle\"}");

        await using var db = _database.CreateDbContext();
        var message = await MunicipalInbox.EnterAsync(db, "test.consumer", "sender", "header-1", id, withBody: false, At, CancellationToken.None);

        Assert.NotNull(message);
        Assert.Null(message.Body); // the row's FHIR JSON stays in the database
        Assert.Equal("{\"resourceType\":\"Bundle\"}", await MunicipalInbox.BodyAsync(db, message, CancellationToken.None));
    }

    [Fact]
    public async Task GivenAStoredMessage_WhenEnteredWithItsBody_ThenTheBodyIsThereAndAnUpdateKeepsIt()
    {
        var id = await StoreAsync("{\"resourceType\":\"Bundle\",\"id\":\"b\"}");

        await using (var db = _database.CreateDbContext())
        {
            var message = await MunicipalInbox.EnterAsync(db, "test.consumer", "sender", "header-1", id, withBody: true, At, CancellationToken.None);
            Assert.Equal("{\"resourceType\":\"Bundle\",\"id\":\"b\"}", message!.Body.FhirJson);
            await db.SaveChangesAsync();
        }

        await using (var db = _database.CreateDbContext())
        {
            // Entered again without the body and changed: the update must not touch the body's column.
            var again = await MunicipalInbox.EnterAsync(db, "other.consumer", "sender", "header-1", id, withBody: false, At.AddMinutes(1), CancellationToken.None);
            again!.State = MessageState.Processed;
            await db.SaveChangesAsync();
        }

        await using var read = _database.CreateDbContext();
        var stored = await MunicipalInbox.EnterAsync(read, "third.consumer", "sender", "header-1", id, withBody: true, At, CancellationToken.None);
        Assert.Equal(MessageState.Processed, stored!.State);
        Assert.Equal("{\"resourceType\":\"Bundle\",\"id\":\"b\"}", stored.Body.FhirJson);
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

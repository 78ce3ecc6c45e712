using Integration.Persistence.Messages;

namespace Integration.Persistence.Tests;

/// <summary>Messages for tests of the storage itself: just the columns a row needs, a fresh id each.</summary>
internal static class TestMessages
{
    public static MessageRecord New()
    {
        var id = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        return new MessageRecord
        {
            Id = id, SenderKey = "ean:5790000000001", MessageHeaderId = "header-" + id, BundleId = "bundle-" + id,
            MessageType = "hospital-notification", CitizenKey = "citizen", ReceivedAt = now, UpdatedAt = now,
            Body = new MessageBody { Id = id, FhirJson = "{}" },
        };
    }
}

using Integration.Persistence;
using Integration.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Integration.Outbound.Delivery;

/// <summary>
/// Outbound deliveries are identified by the delivery id of their command: a command the broker redelivers (e.g. after a
/// lost ack in a broker restart) finds its inbox row and is not delivered to the partner again.
/// </summary>
internal static class DeliveryInbox
{
    private const string Hub = "hub";

    public static Task<bool> DeliveredBeforeAsync(HubDbContext db, string consumer, Guid deliveryId, CancellationToken cancellationToken)
    {
        var key = deliveryId.ToString();
        return db.Inbox.AnyAsync(i => i.Consumer == consumer && i.SenderKey == Hub && i.MessageHeaderId == key, cancellationToken);
    }

    /// <returns>Which of the deliveries were made before (one query for all of them).</returns>
    public static async Task<HashSet<Guid>> DeliveredBeforeAsync(HubDbContext db, string consumer, IReadOnlyCollection<Guid> deliveryIds, CancellationToken cancellationToken)
    {
        var keys = deliveryIds.Select(id => id.ToString()).ToList();
        var found = await DeliveredQuery.For(db)(db, consumer, keys).ToListAsync(cancellationToken);
        return [.. found.Select(Guid.Parse)];
    }

    // Compiled once per model: every delivered ACK asks this (docs/performance.md, EF's per-execution query preparation).
    private static readonly CompiledQuery<Func<HubDbContext, string, List<string>, IAsyncEnumerable<string>>> DeliveredQuery = new(() =>
        EF.CompileAsyncQuery((HubDbContext db, string consumer, List<string> keys) => db.Inbox
            .Where(i => i.Consumer == consumer && i.SenderKey == Hub && keys.Contains(i.MessageHeaderId))
            .Select(i => i.MessageHeaderId)));

    public static void Remember(HubDbContext db, string consumer, Guid deliveryId, DateTimeOffset now) =>
        db.Inbox.Add(new InboxEntry { Consumer = consumer, SenderKey = Hub, MessageHeaderId = deliveryId.ToString(), ProcessedAt = now });
}

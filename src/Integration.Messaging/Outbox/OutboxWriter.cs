using System.Text.Json;
using Integration.Persistence;
using Integration.Persistence.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Integration.Messaging.Outbox;

/// <summary>Adds bus messages to the outbox of the caller's DbContext (they are sent only if its transaction commits), and
/// removes the rows that have been sent.</summary>
public static class OutboxWriter
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void Enqueue<T>(this HubDbContext db, string queue, T message, DateTimeOffset now)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(db);
        // The row names the contract by its static type; a caller holding the command as object would store an unsendable row.
        if (typeof(T) == typeof(object))
        {
            throw new ArgumentException("Enqueue a concrete contract type, not object.", nameof(message));
        }

        db.Outbox.Add(new OutboxMessage
        {
            CreatedAt = now,
            Destination = queue,
            MessageType = typeof(T).FullName!,
            Body = JsonSerializer.Serialize(message, Json),
        });
    }

    /// <summary>Removes sent outbox rows (one statement), in the caller's transaction if it has one. A delete only marks
    /// the row's tuple dead, where an update wrote a new one and new index entries, and the table stays as small as what is
    /// still to be sent (docs/adr/0024-sent-outbox-rows-deleted.md).</summary>
    public static Task RemoveSentAsync(this HubDbContext db, IReadOnlyCollection<long> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Outbox.Where(o => ids.Contains(o.Id)).ExecuteDeleteAsync(cancellationToken);
    }
}

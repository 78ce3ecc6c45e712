using Integration.Persistence;
using Integration.Persistence.Messages;
using Microsoft.EntityFrameworkCore;

namespace Integration.Repair;

/// <summary>Finds the message an operator names in a URL, with its FHIR JSON (retry, replay and the CPR reveal read it).</summary>
public static class RepairMessages
{
    /// <param name="id">The hub's record id, or a MessageHeader.id (the latest message with it, as the trace shows it).</param>
    public static async Task<MessageRecord?> FindAsync(HubDbContext db, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (Guid.TryParse(id, out var recordId) && await db.Messages.AsNoTracking().Include(m => m.Body).FirstOrDefaultAsync(m => m.Id == recordId, cancellationToken) is { } byRecord)
        {
            return byRecord;
        }

        return await db.Messages.AsNoTracking().Include(m => m.Body).Where(m => m.MessageHeaderId == id).OrderByDescending(m => m.ReceivedAt).FirstOrDefaultAsync(cancellationToken);
    }
}

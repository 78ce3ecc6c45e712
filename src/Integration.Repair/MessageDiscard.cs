using Integration.Access;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Integration.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Integration.Repair;

/// <summary>The answer to a discard.</summary>
public sealed record DiscardResult(Guid MessageId, string MessageHeaderId, string PreviousState, string State);

/// <summary>
/// An operator decides a failed or parked message is not to be processed: it becomes discarded, leaves the repair
/// groups, and the reason is on its trace and in the audit. The sender's acknowledgement is left as it was.
/// </summary>
public sealed class MessageDiscard(IDbContextFactory<HubDbContext> dbFactory, AuditLog audit, TimeProvider clock)
{
    public enum Outcome { Done, NotFound, NotDiscardable }

    public async Task<(Outcome Outcome, DiscardResult? Result)> DiscardAsync(Actor actor, string id, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var message = await RepairMessages.FindAsync(db, id, cancellationToken);
        if (message is null || !actor.MaySee(message.MunicipalityCode))
        {
            return (Outcome.NotFound, null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var changed = await db.Messages
            .Where(m => m.Id == message.Id && (m.State == MessageState.Failed || m.State == MessageState.Parked))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.State, MessageState.Discarded).SetProperty(m => m.UpdatedAt, now), cancellationToken);
        if (changed == 0)
        {
            return (Outcome.NotDiscardable, null);
        }

        var masked = Cpr.MaskInText(reason);
        var previous = message.State.ToString().ToLowerInvariant();
        db.AddEvent(new MessageEvent { MessageId = message.Id, At = now, Kind = "discarded", Detail = $"discarded by {actor.Name} ({actor.Role}) from {previous}: {masked}" });
        audit.Add(db, actor, AuditActions.Discard, message.MessageHeaderId, masked, $"discarded from {previous}", message.MunicipalityCode);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (Outcome.Done, new DiscardResult(message.Id, message.MessageHeaderId, previous, "discarded"));
    }
}

using Integration.Access;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Microsoft.EntityFrameworkCore;

namespace Integration.Repair;

/// <summary>Failed and parked messages, grouped by why; a municipal principal sees only its municipality's.</summary>
public sealed class FailureGroups(IDbContextFactory<HubDbContext> dbFactory)
{
    /// <summary>At most this many messages are listed or retried per call; the group's count tells the rest.</summary>
    public const int MaxMessages = 500;

    public async Task<IReadOnlyList<FailureGroup>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var messages = await LoadAsync(actor, null, cancellationToken);
        return [.. messages.GroupBy(m => m.GroupKey, StringComparer.Ordinal)
            .Select(g =>
            {
                var reason = FailureReason.ParseKey(g.Key)!.Value.Reason;
                return new FailureGroup
                {
                    Key = g.Key,
                    Reason = reason.Code,
                    ReasonKind = reason.Kind,
                    State = g.First().State,
                    Count = g.Count(),
                    Oldest = g.Min(m => m.ReceivedAt),
                    Newest = g.Max(m => m.ReceivedAt),
                    MessageTypes = [.. g.Select(m => m.Type).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                    Municipalities = [.. g.Select(m => m.Municipality).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                };
            })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Key, StringComparer.Ordinal)];
    }

    /// <returns>null when the key is not a group key; oldest first.</returns>
    public async Task<IReadOnlyList<FailedMessage>?> MessagesAsync(Actor actor, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (FailureReason.ParseKey(key) is not { } parsed)
        {
            return null;
        }

        var messages = await LoadAsync(actor, parsed.State, cancellationToken);
        return [.. messages.Where(m => m.GroupKey == key).OrderBy(m => m.ReceivedAt).Take(MaxMessages)];
    }

    /// <summary>Failed and parked messages with their group key. The key needs the acknowledgement's issue code, so the
    /// grouping happens here rather than in SQL; failed and parked messages are few next to the flow.</summary>
    private async Task<List<FailedMessage>> LoadAsync(Actor actor, MessageState? state, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Messages.AsNoTracking()
            .Where(m => m.State == MessageState.Failed || m.State == MessageState.Parked);
        if (state is { } only)
        {
            query = query.Where(m => m.State == only);
        }

        if (actor.MunicipalityScope is { } scope)
        {
            query = query.Where(m => m.MunicipalityCode == scope);
        }

        var rows = await query
            .Select(m => new
            {
                m.Id, m.MessageHeaderId, m.MessageType, m.EventCode, m.State, m.FailureReason, m.SenderPartnerId, m.SenderName,
                m.ReceiverPartnerId, m.ReceiverName, m.ReceiverEan, m.ReceiverSor, m.MunicipalityCode, m.ReceivedAt, m.UpdatedAt,
                Ack = db.Acknowledgements.Where(a => a.MessageId == m.Id).Select(a => new { a.Code, a.IssueCode }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(m => new FailedMessage
        {
            Id = m.Id,
            MessageHeaderId = m.MessageHeaderId,
            Type = m.MessageType,
            EventCode = m.EventCode,
            State = m.State.ToString().ToLowerInvariant(),
            GroupKey = FailureReason.Of(m.FailureReason, m.Ack?.IssueCode).KeyFor(m.State),
            FailureReason = m.FailureReason,
            SenderPartnerId = m.SenderPartnerId,
            SenderName = m.SenderName,
            ReceiverPartnerId = m.ReceiverPartnerId,
            ReceiverName = m.ReceiverName,
            ReceiverEan = m.ReceiverEan,
            ReceiverSor = m.ReceiverSor,
            Municipality = m.MunicipalityCode,
            ReceivedAt = m.ReceivedAt,
            UpdatedAt = m.UpdatedAt,
            AcknowledgementCode = m.Ack?.Code,
        })];
    }
}

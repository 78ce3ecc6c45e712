using Integration.Messaging.Outbox;
using Integration.Persistence;
using Integration.Rehabilitation;
using Microsoft.EntityFrameworkCore;

namespace Integration.Municipal.Episodes;

public enum EpisodeActionResult { Done, NotFound, Refused, Conflict }

/// <summary>
/// What municipal staff do with an episode (plan the start, start, evaluate, revisit, complete, cancel, goals, efforts):
/// load it, apply one rule, store it and queue the status messages its sender cares about, in one transaction.
/// </summary>
public sealed class EpisodeActions(IDbContextFactory<HubDbContext> dbFactory, EpisodeStatusSender statuses, TimeProvider clock)
{
    /// <returns>The outcome, and for <see cref="EpisodeActionResult.Refused"/> the rule that refused it.</returns>
    public async Task<(EpisodeActionResult Result, string? Rule, EpisodeSnapshot? Episode)> ApplyAsync(
        Guid episodeId, string municipalityCode, Action<RehabilitationEpisode, DateTimeOffset> action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var record = await db.Episodes.FirstOrDefaultAsync(e => e.Id == episodeId && e.MunicipalityCode == municipalityCode, cancellationToken);
        if (record is null)
        {
            return (EpisodeActionResult.NotFound, null, null);
        }

        var now = clock.GetUtcNow();
        var episode = RehabilitationEpisode.Restore(EpisodeRecords.ToSnapshot(record));
        try
        {
            action(episode, now);
        }
        catch (EpisodeRuleException rule)
        {
            return (EpisodeActionResult.Refused, rule.Message, episode.ToSnapshot());
        }

        var changes = episode.TakePendingStatusChanges();
        var snapshot = episode.ToSnapshot();
        EpisodeRecords.Update(record, snapshot, now);
        statuses.Send(db, record, changes, causedBy: null);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return (EpisodeActionResult.Conflict, "the episode changed meanwhile; read it again", null);
        }

        await transaction.CommitAsync(cancellationToken);
        return (EpisodeActionResult.Done, null, snapshot);
    }

    /// <summary>Flags every waiting episode whose start deadline has passed (free choice); run daily and at start.</summary>
    public async Task<int> CheckStartDeadlinesAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(clock.GetLocalNow().DateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var due = await db.Episodes
            .Where(e => (e.State == nameof(EpisodeState.Referred) || e.State == nameof(EpisodeState.Planned))
                        && !e.FreeChoiceOffered && e.StartDeadline < today)
            .ToListAsync(cancellationToken);
        var flagged = 0;
        foreach (var record in due)
        {
            var episode = RehabilitationEpisode.Restore(EpisodeRecords.ToSnapshot(record));
            if (episode.CheckStartDeadline(today, now))
            {
                EpisodeRecords.Update(record, episode.ToSnapshot(), now);
                flagged++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return flagged;
    }
}

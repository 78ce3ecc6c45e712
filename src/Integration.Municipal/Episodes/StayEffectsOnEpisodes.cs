using Integration.Fhir;
using Integration.Persistence;
using Integration.Rehabilitation;
using Microsoft.EntityFrameworkCore;

namespace Integration.Municipal.Episodes;

/// <summary>
/// What a hospital stay does to the citizen's rehabilitation episodes: a readmission (STIN/STAA) pauses active ones, a
/// discharge (SLHJ) resumes them, a death (MORS) ends them. Runs in the notification handler's transaction.
/// </summary>
public sealed class StayEffectsOnEpisodes(EpisodeStatusSender statuses)
{
    /// <returns>A line for the message's trace, or null when no episode changed.</returns>
    public async Task<string?> ApplyAsync(
        HubDbContext db, string municipalityCode, string citizenKey, NotificationEvent notificationEvent, Guid messageId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        Func<RehabilitationEpisode, bool>? effect = notificationEvent switch
        {
            NotificationEvent.STIN or NotificationEvent.STAA => e => e.PauseForReadmission(now),
            NotificationEvent.SLHJ => e => e.ResumeAfterDischarge(now),
            NotificationEvent.MORS => e => e.EndByDeath(now),
            _ => null, // leave, corrections and cancellations do not change an episode
        };
        if (effect is null)
        {
            return null;
        }

        var records = await db.Episodes
            .Where(e => e.MunicipalityCode == municipalityCode && e.CitizenKey == citizenKey
                        && e.State != nameof(EpisodeState.Completed) && e.State != nameof(EpisodeState.Cancelled))
            .ToListAsync(cancellationToken);
        var changed = new List<string>();
        foreach (var record in records)
        {
            var episode = RehabilitationEpisode.Restore(EpisodeRecords.ToSnapshot(record));
            if (!effect(episode))
            {
                continue;
            }

            var changes = episode.TakePendingStatusChanges();
            EpisodeRecords.Update(record, episode.ToSnapshot(), now);
            statuses.Send(db, record, changes, messageId);
            changed.Add($"{record.Id} {record.State}");
        }

        return changed.Count == 0 ? null : $"{notificationEvent}: episode(s) {string.Join(", ", changed)}";
    }
}

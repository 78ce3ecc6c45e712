using Integration.Fhir;
using Integration.Persistence;
using Integration.Persistence.Episodes;
using Integration.Rehabilitation;
using Microsoft.EntityFrameworkCore;

namespace Integration.Municipal.Episodes;

/// <summary>
/// What a hospital stay does to the citizen's rehabilitation episodes: a readmission (STIN/STAA) pauses active ones, a
/// discharge (SLHJ) resumes them, a death (MORS) ends them. Runs in the notification handler's transaction.
/// </summary>
public sealed class StayEffectsOnEpisodes(EpisodeStatusSender statuses)
{
    /// <summary>The episodes a notification can change: the citizens' that are neither completed nor cancelled (tracked).</summary>
    /// <remarks>One citizen is compared with one value, so PostgreSQL keeps the statement's plan (a list parameter is planned
    /// at every execution; see the notification handler's stay queries).</remarks>
    public static IAsyncEnumerable<EpisodeRecord> Open(HubDbContext db, List<string> citizenKeys)
    {
        ArgumentNullException.ThrowIfNull(citizenKeys);
        return citizenKeys.Count == 1 ? OpenOfOneQuery.For(db)(db, citizenKeys[0]) : OpenQuery.For(db)(db, citizenKeys);
    }

    private static readonly CompiledQuery<Func<HubDbContext, List<string>, IAsyncEnumerable<EpisodeRecord>>> OpenQuery = new(() =>
        EF.CompileAsyncQuery((HubDbContext db, List<string> citizenKeys) => db.Episodes.Where(e =>
            e.State != nameof(EpisodeState.Completed) && e.State != nameof(EpisodeState.Cancelled) && citizenKeys.Contains(e.CitizenKey))));

    private static readonly CompiledQuery<Func<HubDbContext, string, IAsyncEnumerable<EpisodeRecord>>> OpenOfOneQuery = new(() =>
        EF.CompileAsyncQuery((HubDbContext db, string citizenKey) => db.Episodes.Where(e =>
            e.State != nameof(EpisodeState.Completed) && e.State != nameof(EpisodeState.Cancelled) && e.CitizenKey == citizenKey)));

    /// <summary>Whether a notification of this kind can change an episode at all (most cannot: nothing to read then).</summary>
    public static bool Affects(NotificationEvent notificationEvent) => Effect(notificationEvent, DateTimeOffset.MinValue) is not null;

    /// <param name="records">The citizen's open episodes in the municipality (<see cref="Open"/>), read by the caller.</param>
    /// <returns>A line for the message's trace, or null when no episode changed.</returns>
    public string? Apply(HubDbContext db, IEnumerable<EpisodeRecord> records, NotificationEvent notificationEvent, Guid messageId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(records);
        if (Effect(notificationEvent, now) is not { } effect)
        {
            return null;
        }

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

    private static Func<RehabilitationEpisode, bool>? Effect(NotificationEvent notificationEvent, DateTimeOffset now) => notificationEvent switch
    {
        NotificationEvent.STIN or NotificationEvent.STAA => e => e.PauseForReadmission(now),
        NotificationEvent.SLHJ => e => e.ResumeAfterDischarge(now),
        NotificationEvent.MORS => e => e.EndByDeath(now),
        _ => null, // leave, corrections and cancellations do not change an episode
    };
}

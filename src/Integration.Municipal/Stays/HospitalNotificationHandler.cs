using Integration.Contracts;
using Integration.Fhir;
using Integration.Ids;
using Integration.Messaging;
using Integration.Messaging.Outbox;
using Integration.Municipal.HomeCare;
using Integration.Outbound.Acknowledgements;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.HomeCare;
using Integration.Persistence.Messages;
using Integration.Persistence.Stays;
using Integration.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Integration.Municipal.Stays;

/// <summary>
/// Applies a HospitalNotification to the citizen's hospital stay. The stay change, the inbox row, the message's new
/// state, the acknowledgement and any home-care alert are written in one transaction: all or nothing, and once.
/// Notifications handled at the same time (any municipality's queue) share that transaction, and what they need from
/// the database is read for all of them at once (group commit, docs/adr/0012-group-commit.md). One citizen's
/// notifications never meet in a batch: the queue's partitioner hands them over one at a time.
/// </summary>
public sealed partial class HospitalNotificationHandler : IAsyncDisposable
{
    internal const string InboxConsumer = "municipal.hospital-notification";

    private readonly IDbContextFactory<HubDbContext> _dbFactory;
    private readonly IHospitalNotificationReader _reader;
    private readonly ReadAhead _readAhead;
    private readonly IPartnerRegistry _partners;
    private readonly AcknowledgementWriter _acknowledgements;
    private readonly Episodes.StayEffectsOnEpisodes _episodes;
    private readonly AdmissionReportSender _admissionReports;
    private readonly TimeProvider _clock;
    private readonly ILogger<HospitalNotificationHandler> _logger;
    private readonly GroupCommit<ApplyHospitalNotification, bool> _apply;

    /// <summary>The longest a notification waits for the handler's running write before its own (ADR 0019).</summary>
    internal static readonly TimeSpan GatherWhileBusy = TimeSpan.FromMilliseconds(10);

    public HospitalNotificationHandler(
        IDbContextFactory<HubDbContext> dbFactory,
        IHospitalNotificationReader reader,
        ReadAhead readAhead,
        IPartnerRegistry partners,
        AcknowledgementWriter acknowledgements,
        Episodes.StayEffectsOnEpisodes episodes,
        AdmissionReportSender admissionReports,
        TimeProvider clock,
        ILogger<HospitalNotificationHandler> logger)
    {
        _dbFactory = dbFactory;
        _reader = reader;
        _readAhead = readAhead;
        _partners = partners;
        _acknowledgements = acknowledgements;
        _episodes = episodes;
        _admissionReports = admissionReports;
        _clock = clock;
        _logger = logger;
        _apply = new GroupCommit<ApplyHospitalNotification, bool>(
            "municipal.hospital-notification", ApplyAsync, (command, cancellationToken) => ApplyAloneAsync(command, cancellationToken), gatherWhileBusy: GatherWhileBusy);
    }

    /// <summary>Completes when the notification's transaction has committed (or it was applied before).</summary>
    public Task HandleAsync(ApplyHospitalNotification command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return _apply.WriteAsync(command);
    }

    private async Task<bool> ApplyAloneAsync(ApplyHospitalNotification command, CancellationToken cancellationToken) =>
        (await ApplyAsync([command], cancellationToken))[0];

    /// <returns>Per command: whether it was applied now (false: applied before, or not the hub's message).</returns>
    private async Task<IReadOnlyList<bool>> ApplyAsync(IReadOnlyList<ApplyHospitalNotification> commands, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = _clock.GetUtcNow();
        var known = await KnownFacts.ReadAsync(db, commands, _readAhead, _reader, cancellationToken);
        var applied = new bool[commands.Count];
        for (var i = 0; i < commands.Count; i++)
        {
            applied[i] = await ApplyAsync(db, known, commands[i], now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    private async Task<bool> ApplyAsync(HubDbContext db, KnownFacts known, ApplyHospitalNotification command, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!known.Enter(db, command, now, out var message))
        {
            return false; // applied before (a redelivery or a resend), or not the hub's message
        }

        var read = known.Notification(message.Id);
        var issues = read.Errors.ToList();
        if (read.Notification is { } candidate && !Cpr.IsWellFormed(candidate.CitizenCpr))
        {
            issues.Add(new MedComIssue("MSG_Datatype_Wrong", "Patient.identifier is not a well-formed CPR number.", "Bundle.entry.resource.ofType(Patient).identifier"));
        }

        var acknowledgement = known.Acknowledgement(message.Id);
        if (!read.Succeeded || issues.Count > 0)
        {
            await MunicipalInbox.RejectAsync(db, _acknowledgements, message, acknowledgement, issues, now, cancellationToken);
            LogInvalid(_logger, command.MessageHeaderId, issues.FirstOrDefault()?.Code ?? "unknown");
            return true;
        }

        var notification = read.Notification!;
        var homeCare = known.HomeCare(command.MunicipalityCode, command.CitizenKey);
        var stay = ApplyToStay(db, known, command, notification, homeCare is not null, now);
        message.State = MessageState.Processed;
        message.EventCode = notification.Event.ToString();
        db.AddEvent(new MessageEvent
        {
            MessageId = message.Id,
            At = now,
            Kind = "processed",
            Detail = $"{notification.Event} applied: stay {stay.StayIdentifier} is {stay.State}",
        });
        if (_admissionReports.SendIfAsked(db, command, notification, homeCare) is { } report)
        {
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = now, Kind = "admission-report", Detail = report });
        }

        if (_episodes.Apply(db, known.OpenEpisodes(command.MunicipalityCode, command.CitizenKey), notification.Event, message.Id, now) is { } episodeChange)
        {
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = now, Kind = "episodes", Detail = episodeChange });
        }

        await _acknowledgements.AcknowledgeAsync(db, message, acknowledgement, AcknowledgementCode.Ok, [], cancellationToken);
        LogApplied(_logger, command.MessageHeaderId, notification.Event, command.MunicipalityCode, stay.State);
        return true;
    }

    private HospitalStay ApplyToStay(
        HubDbContext db, KnownFacts known, ApplyHospitalNotification command, HospitalNotification notification, bool knownToHomeCare, DateTimeOffset now)
    {
        var stay = known.Stay(command.MunicipalityCode, command.CitizenKey, notification.StayIdentifier);
        StayState? before = stay?.State;
        if (stay is null)
        {
            var hospital = _partners.FindById(command.SenderPartnerId);
            stay = new HospitalStay
            {
                Id = TimeOrderedId.New(),
                MunicipalityCode = command.MunicipalityCode,
                CitizenKey = command.CitizenKey,
                CitizenCpr = notification.CitizenCpr,
                StayIdentifier = notification.StayIdentifier,
                HospitalName = hospital?.Name ?? "unknown hospital",
                HospitalSor = hospital?.Sor,
                EncounterClass = notification.EncounterClass,
            };
            db.HospitalStays.Add(stay);
            known.Started(stay);
        }

        stay.WardName = notification.ServiceProvider?.Name ?? stay.WardName;
        stay.EncounterClass = notification.EncounterClass;
        StayTimeline.Record(stay, notification, now);
        stay.UpdatedAt = now;
        stay.Version++;

        if (AlertPolicy.For(before, stay.State) is { } kind && knownToHomeCare)
        {
            var alertId = TimeOrderedId.New();
            db.HomeCareAlerts.Add(new HomeCareAlertRecord
            {
                Id = alertId,
                MessageId = command.MessageId,
                StayId = stay.Id,
                MunicipalityCode = command.MunicipalityCode,
                Kind = kind.ToString(),
                CreatedAt = now,
            });
            db.AddEvent(new MessageEvent { MessageId = command.MessageId, At = now, Kind = "homecare-alert", Detail = $"{kind} to {QueueNames.HomeCare(command.MunicipalityCode)}" });
            db.Enqueue(QueueNames.HomeCare(command.MunicipalityCode), new HomeCareAlert
            {
                AlertId = alertId,
                MunicipalityCode = command.MunicipalityCode,
                Kind = kind,
                CitizenCpr = notification.CitizenCpr,
                StayIdentifier = stay.StayIdentifier,
                EventCode = notification.Event.ToString(),
                OccurredAt = notification.OccurredAt,
                HospitalName = stay.HospitalName,
                HospitalSor = stay.HospitalSor,
                WardName = stay.WardName,
                MessageHeaderId = command.MessageHeaderId,
            }, now);
            LogAlert(_logger, command.MessageHeaderId, kind, command.MunicipalityCode);
        }

        return stay;
    }

    public ValueTask DisposeAsync() => _apply.DisposeAsync();

    private sealed record MessageFacts(MessageRecord Message, AcknowledgementRecord? Acknowledgement, bool Applied);

    /// <summary>
    /// What the database knows that a batch of notifications needs, read with a few queries for the whole batch: their
    /// messages with any acknowledgement already sent and whether they were applied before (inbox; not read for a first
    /// delivery, which ingress's ReadAhead entry tells), their stays, the citizens known to home care and their open
    /// episodes. Queries filter on each key column separately (a superset); the exact matches are picked here.
    /// </summary>
    private sealed class KnownFacts
    {
        private readonly HashSet<(string SenderKey, string MessageHeaderId)> _applied;
        private readonly Dictionary<Guid, MessageRecord> _messages;
        private readonly Dictionary<Guid, HospitalNotificationResult> _notifications;
        private readonly Dictionary<(string, string, string), HospitalStay> _stays;
        private readonly Dictionary<(string, string), HomeCareCitizen> _homeCare;
        private readonly ILookup<(string, string), Persistence.Episodes.EpisodeRecord> _openEpisodes;
        private readonly Dictionary<Guid, AcknowledgementRecord> _acknowledgements;

        private KnownFacts(
            HashSet<(string, string)> applied,
            Dictionary<Guid, MessageRecord> messages,
            Dictionary<Guid, HospitalNotificationResult> notifications,
            Dictionary<(string, string, string), HospitalStay> stays,
            Dictionary<(string, string), HomeCareCitizen> homeCare,
            ILookup<(string, string), Persistence.Episodes.EpisodeRecord> openEpisodes,
            Dictionary<Guid, AcknowledgementRecord> acknowledgements)
        {
            _applied = applied;
            _messages = messages;
            _notifications = notifications;
            _stays = stays;
            _homeCare = homeCare;
            _openEpisodes = openEpisodes;
            _acknowledgements = acknowledgements;
        }

        // Compiled once per model (EF.CompileAsyncQuery): a LINQ query is otherwise walked, hashed and looked up in EF's query cache
        // on every execution (QueryPreparationBenchmarks: a one-key lookup 76 µs as LINQ, 35 µs compiled; docs/performance.md).
        // The messages with their acknowledgements (at most one each: a unique key) and whether they were applied before, in
        // one round trip: for a message handled alone these were three of its handler's round trips.
        private static readonly CompiledQuery<Func<HubDbContext, List<Guid>, IAsyncEnumerable<MessageFacts>>> MessagesQuery = new(() =>
            EF.CompileAsyncQuery((HubDbContext db, List<Guid> messageIds) =>
                from m in db.Messages
                where messageIds.Contains(m.Id)
                join a in db.Acknowledgements on m.Id equals a.MessageId into acknowledgements
                from a in acknowledgements.DefaultIfEmpty()
                select new MessageFacts(
                    m,
                    a,
                    db.Inbox.Any(i => i.Consumer == InboxConsumer && i.SenderKey == m.SenderKey && i.MessageHeaderId == m.MessageHeaderId))));

        // By citizen, each in two forms: PostgreSQL plans a statement that compares with a list parameter (= ANY ($1))
        // anew at every execution, since a plan kept for any list cannot know the list's length and always looks dearer
        // than one made for the list at hand; for the stays with their events that planning cost more than the query
        // itself (medians 0.47 ms against 0.03 ms of server time per lone message at 20 msg/s). A statement that
        // compares with one value gets a kept plan after its first executions. So one citizen, as for a notification
        // handled alone, is compared with one value; a batch of several still reads all of them with one statement.
        private static readonly CompiledQuery<Func<HubDbContext, List<string>, IAsyncEnumerable<HospitalStay>>> StaysQuery = new(() =>
            EF.CompileAsyncQuery((HubDbContext db, List<string> citizenKeys) =>
                db.HospitalStays.Include(s => s.Events).Where(s => citizenKeys.Contains(s.CitizenKey))));

        private static readonly CompiledQuery<Func<HubDbContext, string, IAsyncEnumerable<HospitalStay>>> StaysOfOneQuery = new(() =>
            EF.CompileAsyncQuery((HubDbContext db, string citizenKey) =>
                db.HospitalStays.Include(s => s.Events).Where(s => s.CitizenKey == citizenKey)));

        private static readonly CompiledQuery<Func<HubDbContext, List<string>, IAsyncEnumerable<HomeCareCitizen>>> HomeCareQuery = new(() =>
            EF.CompileAsyncQuery((HubDbContext db, List<string> citizenKeys) =>
                db.HomeCareCitizens.AsNoTracking().Where(h => citizenKeys.Contains(h.CitizenKey))));

        private static readonly CompiledQuery<Func<HubDbContext, string, IAsyncEnumerable<HomeCareCitizen>>> HomeCareOfOneQuery = new(() =>
            EF.CompileAsyncQuery((HubDbContext db, string citizenKey) =>
                db.HomeCareCitizens.AsNoTracking().Where(h => h.CitizenKey == citizenKey)));

        private static IAsyncEnumerable<HospitalStay> StaysOf(HubDbContext db, List<string> citizenKeys) =>
            citizenKeys.Count == 1 ? StaysOfOneQuery.For(db)(db, citizenKeys[0]) : StaysQuery.For(db)(db, citizenKeys);

        private static IAsyncEnumerable<HomeCareCitizen> HomeCareOf(HubDbContext db, List<string> citizenKeys) =>
            citizenKeys.Count == 1 ? HomeCareOfOneQuery.For(db)(db, citizenKeys[0]) : HomeCareQuery.For(db)(db, citizenKeys);

        public static async Task<KnownFacts> ReadAsync(
            HubDbContext db, IReadOnlyList<ApplyHospitalNotification> commands, ReadAhead readAhead, IHospitalNotificationReader reader,
            CancellationToken cancellationToken)
        {
            // A command's first delivery in this process finds what ingress stored and read (ReadAhead, ADR 0021): its
            // message is attached as ingress wrote it, neither applied nor acknowledged yet, instead of being read back. Should
            // that ever be wrong (another process applied the message and its command came here again), its inbox row and
            // acknowledgement collide with those written then (unique keys), the write is refused, and the command is tried
            // again (alone, or by the consumer's retry) without the entry, which it no longer finds.
            var messages = new Dictionary<Guid, MessageRecord>();
            var notifications = new Dictionary<Guid, HospitalNotificationResult>();
            var lookedUp = new List<Guid>();
            foreach (var messageId in commands.Select(c => c.MessageId).Distinct())
            {
                if (readAhead.Take<IngestedMessage<HospitalNotificationResult>>(messageId) is { } first)
                {
                    messages[messageId] = db.Messages.Attach(first.Stored).Entity;
                    notifications[messageId] = first.Facts;
                }
                else
                {
                    lookedUp.Add(messageId);
                }
            }

            // The others (a redelivery, a retry, another process's message) are read: the message with any acknowledgement
            // already sent and whether it was applied before. A command carries its message's sender and MessageHeader.id
            // (ingress wrote both), so the message's own keys are the inbox keys.
            var found = lookedUp.Count == 0 ? [] : await MessagesQuery.For(db)(db, lookedUp).ToListAsync(cancellationToken);
            foreach (var fact in found)
            {
                messages[fact.Message.Id] = fact.Message;
            }

            var applied = found.Where(f => f.Applied).Select(f => (f.Message.SenderKey, f.Message.MessageHeaderId)).ToHashSet();
            var acknowledgements = found.Where(f => f.Acknowledgement is not null).ToDictionary(f => f.Message.Id, f => f.Acknowledgement!);

            // Their notifications are read from the stored FHIR JSON, loaded only for those not applied before.
            var unread = found.Where(f => !f.Applied).Select(f => f.Message.Id).ToList();
            if (unread.Count > 0)
            {
                var bodies = await db.Set<MessageBody>().AsNoTracking().Where(b => unread.Contains(b.Id)).ToListAsync(cancellationToken);
                foreach (var body in bodies)
                {
                    notifications[body.Id] = reader.Read(body.FhirJson);
                }
            }

            var facts = notifications.Values.Select(n => n.Notification).OfType<HospitalNotification>().ToList();
            // Each lookup filters on one indexed column only (the citizen), and the exact keys are picked here: PostgreSQL 15
            // probes a multi-column index once per combination of the lists given for its columns (citizens × stays ×
            // municipalities), and reads a whole index or table for a list on a column that does not lead it.
            var citizenKeys = commands.Select(c => c.CitizenKey).Distinct(StringComparer.Ordinal).ToList();
            var wanted = new HashSet<(string, string, string)>();
            foreach (var command in commands)
            {
                if (notifications.GetValueOrDefault(command.MessageId)?.Notification is { } notification)
                {
                    wanted.Add((command.MunicipalityCode, command.CitizenKey, notification.StayIdentifier));
                }
            }

            var stays = wanted.Count == 0
                ? []
                : (await StaysOf(db, citizenKeys).ToListAsync(cancellationToken))
                .Where(s => wanted.Contains((s.MunicipalityCode, s.CitizenKey, s.StayIdentifier)))
                .ToDictionary(s => (s.MunicipalityCode, s.CitizenKey, s.StayIdentifier));
            var homeCare = (await HomeCareOf(db, citizenKeys).ToListAsync(cancellationToken))
                .ToDictionary(h => (h.MunicipalityCode, h.CitizenKey));
            var openEpisodes = facts.Any(n => Episodes.StayEffectsOnEpisodes.Affects(n.Event))
                ? (await Episodes.StayEffectsOnEpisodes.Open(db, citizenKeys).ToListAsync(cancellationToken))
                    .ToLookup(e => (e.MunicipalityCode, e.CitizenKey))
                : Array.Empty<Persistence.Episodes.EpisodeRecord>().ToLookup(e => (e.MunicipalityCode, e.CitizenKey));
            return new KnownFacts(applied, messages, notifications, stays, homeCare, openEpisodes, acknowledgements);
        }

        /// <summary>The inbox step: false when the message was applied before (also earlier in this batch) or is unknown;
        /// otherwise its inbox row is added and its record returned.</summary>
        public bool Enter(HubDbContext db, ApplyHospitalNotification command, DateTimeOffset now, out MessageRecord message)
        {
            if (!_messages.TryGetValue(command.MessageId, out message!) || !_applied.Add((command.SenderKey, command.MessageHeaderId)))
            {
                return false;
            }

            MunicipalInbox.Enter(db, message, InboxConsumer, command.SenderKey, command.MessageHeaderId, now);
            return true;
        }

        public HospitalNotificationResult Notification(Guid messageId) => _notifications[messageId];

        public HospitalStay? Stay(string municipalityCode, string citizenKey, string stayIdentifier) =>
            _stays.GetValueOrDefault((municipalityCode, citizenKey, stayIdentifier));

        /// <summary>A stay this batch has just started: a later notification of the batch about it finds it.</summary>
        public void Started(HospitalStay stay) => _stays[(stay.MunicipalityCode, stay.CitizenKey, stay.StayIdentifier)] = stay;

        public HomeCareCitizen? HomeCare(string municipalityCode, string citizenKey) => _homeCare.GetValueOrDefault((municipalityCode, citizenKey));

        public IEnumerable<Persistence.Episodes.EpisodeRecord> OpenEpisodes(string municipalityCode, string citizenKey) =>
            _openEpisodes[(municipalityCode, citizenKey)];

        public AcknowledgementRecord? Acknowledgement(Guid messageId) => _acknowledgements.GetValueOrDefault(messageId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {MessageId} {EventCode} in municipality {Municipality}: stay {StayState}")]
    private static partial void LogApplied(ILogger logger, string messageId, NotificationEvent eventCode, string municipality, StayState stayState);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {MessageId}: {IssueCode}")]
    private static partial void LogInvalid(ILogger logger, string messageId, string issueCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Home-care alert {AlertKind} for {MessageId} in municipality {Municipality}")]
    private static partial void LogAlert(ILogger logger, string messageId, HomeCareAlertKind alertKind, string municipality);
}

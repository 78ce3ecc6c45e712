using System.Buffers;
using System.Text;
using Integration.Contracts;
using Integration.Fhir;
using Integration.Ids;
using Integration.Messaging;
using Integration.Messaging.Outbox;
using Integration.Outbound.Acknowledgements;
using Integration.Outbound.Ledger;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Integration.Privacy;
using Integration.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Integration.Ingress;

/// <summary>
/// Takes a body as received and, in one transaction, keeps it, records the message (or the resend of a known one),
/// checks it against MedCom's rules and routes it: to the municipality's queue, on to its receiver, or answered with a
/// fatal-error acknowledgement. Acknowledgements are queued for the router, whose retries settle the ACK ledger.
/// Returns only once that transaction has committed: that is what 202 promises. Routing here rather than in a router
/// hop saves a broker hop, a transaction and a parse per message (docs/performance.md).
/// The FHIR work (parse, validate, read) runs on the caller's thread; the storing goes through a group commit, so
/// messages posted at the same time share one transaction (docs/adr/0012-group-commit.md). A new message stored on its
/// own is one round trip to the database: its rows as one command, no lookups first (docs/adr/0020-one-round-trip-for-a-lone-message.md).
/// </summary>
public sealed partial class MessageIngestion : IAsyncDisposable
{
    private readonly IDbContextFactory<HubDbContext> _dbFactory;
    private readonly IFhirMessageParser _parser;
    private readonly IMessageValidator _validator;
    private readonly MessageRouter _router;
    private readonly IHospitalNotificationReader _notifications;
    private readonly ReadAhead _readAhead;
    private readonly IPartnerRegistry _partners;
    private readonly AcknowledgementWriter _acknowledgements;
    private readonly CitizenKeys _citizenKeys;
    private readonly TimeProvider _clock;
    private readonly ILogger<MessageIngestion> _logger;
    private readonly GroupCommit<IncomingMessage, IngestionResult> _store;

    /// <summary>A message stored while another batch is being written waits for that write, this long at most, and shares
    /// the next transaction with the messages that come meanwhile (docs/adr/0019-gathering-while-a-batch-is-written.md).</summary>
    internal static readonly TimeSpan GatherWhileBusy = TimeSpan.FromMilliseconds(10);

    // The lookups every message makes, compiled once per model (EF.CompileAsyncQuery): a LINQ query is otherwise walked, hashed and
    // looked up in EF's query cache on every execution (docs/performance.md). (sender, MessageHeader.id) and (sender,
    // Bundle.id) are unique keys: a lookup of one finds at most one row.
    private static readonly CompiledQuery<Func<HubDbContext, List<string>, IAsyncEnumerable<MessageRecord>>> MessagesByHeaderQuery = new(() =>
        EF.CompileAsyncQuery((HubDbContext db, List<string> headerIds) => db.Messages.Where(m => headerIds.Contains(m.MessageHeaderId))));

    private static readonly CompiledQuery<Func<HubDbContext, string, string, IAsyncEnumerable<MessageRecord>>> MessageByHeaderQuery = new(() =>
        EF.CompileAsyncQuery((HubDbContext db, string senderKey, string headerId) =>
            db.Messages.Where(m => m.SenderKey == senderKey && m.MessageHeaderId == headerId)));

    private static readonly CompiledQuery<Func<HubDbContext, List<string>, List<string>, IAsyncEnumerable<UsedBundle>>> UsedBundlesQuery = new(() =>
        EF.CompileAsyncQuery((HubDbContext db, List<string> bundleIds, List<string> senderKeys) => db.BundleReceptions
            .Where(b => bundleIds.Contains(b.BundleId) && senderKeys.Contains(b.SenderKey))
            .Select(b => new UsedBundle(b.SenderKey, b.BundleId))));

    public MessageIngestion(
        IDbContextFactory<HubDbContext> dbFactory,
        IFhirMessageParser parser,
        IMessageValidator validator,
        MessageRouter router,
        IHospitalNotificationReader notifications,
        ReadAhead readAhead,
        IPartnerRegistry partners,
        AcknowledgementWriter acknowledgements,
        CitizenKeys citizenKeys,
        TimeProvider clock,
        ILogger<MessageIngestion> logger)
    {
        _dbFactory = dbFactory;
        _parser = parser;
        _validator = validator;
        _router = router;
        _notifications = notifications;
        _readAhead = readAhead;
        _partners = partners;
        _acknowledgements = acknowledgements;
        _citizenKeys = citizenKeys;
        _clock = clock;
        _logger = logger;
        _store = new GroupCommit<IncomingMessage, IngestionResult>("ingress", StoreBatchAsync, StoreOneAsync, gatherWhileBusy: GatherWhileBusy);
    }

    /// <param name="format">null when the body is recognisably neither JSON nor XML: it is kept and rejected.</param>
    public async Task<IngestionResult> IngestAsync(byte[] body, FhirFormat? format, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var now = _clock.GetUtcNow();
        var parsed = format is null
            ? new ParseResult(null, new ParseFailure("The body is neither FHIR JSON nor FHIR XML (use Content-Type application/fhir+json or application/fhir+xml).", null))
            : _parser.Parse(body, format.Value);
        if (!parsed.Succeeded)
        {
            var reason = Cpr.MaskInText(parsed.Failure!.Reason);
            await KeepRejectedAsync(body, contentType, reason, now, cancellationToken);
            LogRejected(_logger, reason);
            return new IngestionResult(IngestionOutcome.Rejected, null, reason);
        }

        // Once stored, the message is the hub's: the caller going away does not stop it from being kept and answered.
        return await _store.WriteAsync(Read(body, contentType, parsed.Message!, now));
    }

    /// <summary>
    /// The FHIR work a new message needs, done here on the caller's thread rather than in the shared writer. For a resend
    /// (rare) it is done in vain.
    /// </summary>
    private IncomingMessage Read(byte[] body, string contentType, ParsedMessage message, DateTimeOffset now)
    {
        var type = message.Envelope.MessageType;
        var report = type == MessageTypes.Acknowledgement ? null : _validator.Validate(message);
        // Read now, from the Bundle already parsed, for the municipal handler in this process (it would parse the stored
        // JSON again); used only if the message is routed to a municipality.
        var notification = type == MessageTypes.HospitalNotification && report is { IsValid: true } ? _notifications.Read(message) : null;
        // The parsed Bundle is not kept: it is most of the garbage per message, and it must die young (it would otherwise
        // live through the wait for the group commit and be promoted).
        return new IncomingMessage(body, contentType, message.Envelope, message.FhirJson, SenderKey(message.Envelope.Sender), now, report, notification);
    }

    /// <summary>
    /// Stores messages posted at the same time in one transaction. A message whose sender and MessageHeader.id, or
    /// Bundle.id, another message of the batch already has is left out and stored after the batch on its own (it is a
    /// resend of a message the batch is storing, or reuses its Bundle.id).
    /// </summary>
    private async Task<IReadOnlyList<IngestionResult>> StoreBatchAsync(IReadOnlyList<IncomingMessage> batch, CancellationToken cancellationToken)
    {
        var results = new IngestionResult?[batch.Count];
        var later = new List<int>();
        var accepted = new List<MessageRecord>(batch.Count);
        await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // No transaction around the lookups: at read committed they see what a transaction would, and the unique keys
            // of (sender, MessageHeader.id) and (sender, Bundle.id) fail the save if another writer stored one meanwhile
            // (then each message is stored on its own). The save is the unit of work (ADR 0020).
            var senderKeys = batch.Select(m => m.SenderKey).Distinct(StringComparer.Ordinal).ToList();
            var headerIds = batch.Select(m => m.Envelope.MessageHeaderId).Distinct(StringComparer.Ordinal).ToList();
            var bundleIds = batch.Select(m => m.Envelope.BundleId).Distinct(StringComparer.Ordinal).ToList();
            // By MessageHeader.id alone (its own index; ids are UUIDs in practice), the sender picked here: PostgreSQL 15 would
            // otherwise probe the (sender, id) index once per pair of the two lists.
            var batchHeaders = batch.Select(m => (m.SenderKey, m.Envelope.MessageHeaderId)).ToHashSet();
            var known = (await MessagesByHeaderQuery.For(db)(db, headerIds).ToListAsync(cancellationToken))
                .Where(m => batchHeaders.Contains((m.SenderKey, m.MessageHeaderId)))
                .ToDictionary(m => (m.SenderKey, m.MessageHeaderId));
            var usedBundles = (await UsedBundlesQuery.For(db)(db, bundleIds, senderKeys).ToListAsync(cancellationToken))
                .Select(b => (b.SenderKey, b.BundleId))
                .ToHashSet();
            var headersInBatch = new HashSet<(string, string)>();
            var bundlesInBatch = new HashSet<(string, string)>();
            for (var i = 0; i < batch.Count; i++)
            {
                var message = batch[i];
                var header = (message.SenderKey, message.Envelope.MessageHeaderId);
                var bundle = (message.SenderKey, message.Envelope.BundleId);
                if (!headersInBatch.Add(header) | !bundlesInBatch.Add(bundle))
                {
                    later.Add(i);
                    continue;
                }

                results[i] = await StoreAsync(db, message, known.GetValueOrDefault(header), usedBundles.Contains(bundle), accepted, cancellationToken);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        LogAccepted(accepted);
        foreach (var i in later)
        {
            results[i] = await StoreOneAsync(batch[i], cancellationToken);
        }

        return results!;
    }

    /// <summary>
    /// Stores one message in a unit of work of its own. The first attempt takes it for new, as nearly every message is,
    /// and looks nothing up: its rows go to the database as one command (ADR 0020). A resend, or a Bundle.id used before,
    /// fails that command on a unique key and nothing of it is kept; the second attempt looks both up and records what it
    /// finds.
    /// </summary>
    private async Task<IngestionResult> StoreOneAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var accepted = new List<MessageRecord>(1);
                IngestionResult result;
                await using (var db = await _dbFactory.CreateDbContextAsync(cancellationToken))
                {
                    var envelope = message.Envelope;
                    var existing = attempt == 0 ? null
                        : await MessageByHeaderQuery.For(db)(db, message.SenderKey, envelope.MessageHeaderId).FirstOrDefaultAsync(cancellationToken);
                    var bundleUsed = attempt > 0 && existing is null
                        && await UsedBundlesQuery.For(db)(db, [envelope.BundleId], [message.SenderKey]).AnyAsync(cancellationToken);
                    result = await StoreAsync(db, message, existing, bundleUsed, accepted, cancellationToken);
                    await db.SaveChangesAsync(cancellationToken);
                }

                LogAccepted(accepted);
                return result;
            }
            catch (DbUpdateException) when (attempt < 2)
            {
                // First attempt: the message is known, or its Bundle.id is. Second: two sendings of one message raced on
                // the unique (sender, MessageHeader.id) key, and the second is a resend.
            }
        }
    }

    /// <summary>Adds what the message means to the caller's unit of work, given what the database already knows of it.</summary>
    /// <param name="accepted">Gets the message if it is new: it is logged as accepted once the unit of work is saved.</param>
    private Task<IngestionResult> StoreAsync(
        HubDbContext db, IncomingMessage message, MessageRecord? existing, bool bundleUsed, List<MessageRecord> accepted, CancellationToken cancellationToken) =>
        existing is not null ? RecordResendAsync(db, existing, message, cancellationToken)
        // MedCom: a Bundle.id already received with another MessageHeader.id is an error, never a new message.
        : bundleUsed ? RecordReusedBundleAsync(db, message, cancellationToken)
        : RecordNewAsync(db, message, accepted, cancellationToken);

    private async Task<IngestionResult> RecordReusedBundleAsync(HubDbContext db, IncomingMessage incoming, CancellationToken cancellationToken)
    {
        var envelope = incoming.Envelope;
        var message = NewRecord(incoming);
        message.State = MessageState.Failed;
        message.FailureReason = $"Bundle.id {envelope.BundleId} was received before with another MessageHeader.id";
        db.Messages.Add(message);
        db.RawMessages.Add(new RawMessage { Id = TimeOrderedId.New(), ReceivedAt = incoming.ReceivedAt, ContentType = incoming.ContentType, Body = RawBodyBesides(incoming), Outcome = "rejected", RejectionReason = message.FailureReason, MessageId = message.Id });
        db.AddEvent(new MessageEvent { MessageId = message.Id, At = incoming.ReceivedAt, Kind = "received", Detail = $"Bundle {envelope.BundleId}" });
        db.AddEvent(new MessageEvent { MessageId = message.Id, At = incoming.ReceivedAt, Kind = "rejected", Detail = message.FailureReason });
        if (message.MessageType == MessageTypes.Acknowledgement)
        {
            LogBundleReused(_logger, envelope.MessageHeaderId, incoming.SenderKey);
            return new IngestionResult(IngestionOutcome.Accepted, envelope.MessageHeaderId, null); // an ACK is never acknowledged
        }

        await _acknowledgements.AcknowledgeAsync(db, message, AcknowledgementCode.FatalError,
            [new MedComIssue("MSG_DUPLICATE_ID", message.FailureReason + ": a resend keeps its MessageHeader.id, a new message needs a new Bundle.id.", "Bundle.id", "hub-bundle-id-reused")],
            cancellationToken);
        LogBundleReused(_logger, envelope.MessageHeaderId, incoming.SenderKey);
        return new IngestionResult(IngestionOutcome.Accepted, envelope.MessageHeaderId, null);
    }

    private MessageRecord NewRecord(IncomingMessage incoming)
    {
        var envelope = incoming.Envelope;
        var sender = _partners.Find(envelope.Sender.Ean, envelope.Sender.Sor);
        var receiver = envelope.Receivers.Count > 0 ? envelope.Receivers[0] : null;
        // Time-ordered (UUIDv7), as every id the hub makes: the keys and indexes that hold it grow at their right edge
        // instead of at a random page (docs/adr/0023-time-ordered-ids.md).
        var id = TimeOrderedId.New();
        return new MessageRecord
        {
            Id = id,
            SenderKey = incoming.SenderKey,
            MessageHeaderId = envelope.MessageHeaderId,
            BundleId = envelope.BundleId,
            MessageType = envelope.MessageType,
            SenderPartnerId = sender?.Id,
            SenderName = envelope.Sender.Name ?? sender?.Name,
            SenderEan = envelope.Sender.Ean,
            SenderSor = envelope.Sender.Sor,
            ReceiverKey = receiver is null ? null : SenderKey(receiver),
            ReceiverEan = receiver?.Ean,
            ReceiverSor = receiver?.Sor,
            ReceiverName = receiver?.Name,
            SourceEndpoint = envelope.SourceEndpoint,
            DestinationEndpoint = envelope.DestinationEndpoint,
            CitizenKey = _citizenKeys.For(envelope.CitizenCpr),
            State = MessageState.Received,
            ReceivedAt = incoming.ReceivedAt,
            UpdatedAt = incoming.ReceivedAt,
            Body = new MessageBody { Id = id, FhirJson = incoming.FhirJson },
        };
    }

    private async Task<IngestionResult> RecordNewAsync(HubDbContext db, IncomingMessage incoming, List<MessageRecord> accepted, CancellationToken cancellationToken)
    {
        var envelope = incoming.Envelope;
        var now = incoming.ReceivedAt;
        var receiver = envelope.Receivers.Count > 0 ? envelope.Receivers[0] : null;
        var message = NewRecord(incoming);
        db.Messages.Add(message);
        db.BundleReceptions.Add(new BundleReception { SenderKey = incoming.SenderKey, BundleId = envelope.BundleId, MessageId = message.Id, ReceivedAt = now });
        db.RawMessages.Add(new RawMessage { Id = TimeOrderedId.New(), ReceivedAt = now, ContentType = incoming.ContentType, Body = RawBodyBesides(incoming), Outcome = "accepted", MessageId = message.Id });
        db.AddEvent(new MessageEvent { MessageId = message.Id, At = now, Kind = "received", Detail = $"Bundle {envelope.BundleId}" });
        var route = new RouteMessage
        {
            MessageId = message.Id,
            SenderKey = incoming.SenderKey,
            MessageHeaderId = envelope.MessageHeaderId,
            BundleId = envelope.BundleId,
            MessageType = envelope.MessageType,
            SenderEan = envelope.Sender.Ean,
            SenderSor = envelope.Sender.Sor,
            ReceiverEan = receiver?.Ean,
            ReceiverSor = receiver?.Sor,
            CitizenKey = message.CitizenKey,
        };
        accepted.Add(message);
        if (incoming.Report is null)
        {
            db.Enqueue(QueueNames.Router, route, now); // an acknowledgement: the router consumer settles the ACK ledger
        }
        else
        {
            await _router.ApplyAsync(db, message, route, incoming.Report, now, cancellationToken);
            if (message.State == MessageState.Routed && incoming.Notification is { } notification)
            {
                // An entry of a transaction that then rolls back is never taken: its id is new. The record is final here
                // (routing was its last change before the save).
                _readAhead.Put(message.Id, new IngestedMessage<HospitalNotificationResult>(message.CopyOfColumns(), notification));
            }
        }

        return new IngestionResult(IngestionOutcome.Accepted, envelope.MessageHeaderId, null);
    }

    private async Task<IngestionResult> RecordResendAsync(HubDbContext db, MessageRecord existing, IncomingMessage incoming, CancellationToken cancellationToken)
    {
        var envelope = incoming.Envelope;
        var now = incoming.ReceivedAt;
        var senderKey = incoming.SenderKey;
        var sameEnvelope = await db.BundleReceptions.AnyAsync(b => b.SenderKey == senderKey && b.BundleId == envelope.BundleId, cancellationToken);
        if (!sameEnvelope)
        {
            db.BundleReceptions.Add(new BundleReception { SenderKey = senderKey, BundleId = envelope.BundleId, MessageId = existing.Id, ReceivedAt = now });
        }

        existing.DuplicateCount++;
        existing.UpdatedAt = now;
        db.RawMessages.Add(new RawMessage { Id = TimeOrderedId.New(), ReceivedAt = now, ContentType = incoming.ContentType, Body = incoming.Body, Outcome = "duplicate", MessageId = existing.Id });
        db.AddEvent(new MessageEvent
        {
            MessageId = existing.Id,
            At = now,
            Kind = "duplicate",
            Detail = sameEnvelope
                ? $"same Bundle {envelope.BundleId} again (lost response): original acknowledgement resent, nothing applied"
                : $"resend in Bundle {envelope.BundleId}: original acknowledgement resent, nothing applied",
        });

        // The answer to a resend is the acknowledgement already sent, unchanged. If the first sending is still being
        // processed there is none yet; it goes out when processing ends.
        var ack = await db.Acknowledgements.FirstOrDefaultAsync(a => a.MessageId == existing.Id, cancellationToken);
        if (ack is not null)
        {
            _acknowledgements.Resend(db, ack);
        }
        else if (await db.SentMessages.FirstOrDefaultAsync(s => s.SourceMessageId == existing.Id && s.AckMessageId != null, cancellationToken) is { } sent)
        {
            // The hub passed the message on: the answer is the receiver's acknowledgement, relayed again unchanged.
            AcknowledgementLedger.QueueRelay(db, sent, sent.AckMessageId!.Value, now);
        }

        LogDuplicate(_logger, envelope.MessageHeaderId, senderKey, sameEnvelope);
        return new IngestionResult(IngestionOutcome.Duplicate, envelope.MessageHeaderId, null);
    }

    /// <summary>
    /// The raw bytes to keep beside a new message's FHIR JSON: none when the JSON is those bytes exactly (the parser keeps a
    /// JSON body as received), so the body is stored once (RawMessage.Body). XML, a byte order mark or bytes that are not
    /// UTF-8 keep their own copy.
    /// </summary>
    private static byte[]? RawBodyBesides(IncomingMessage incoming)
    {
        var body = incoming.Body;
        // Encoded into a pooled buffer one byte longer than the body, not a new copy per message: a longer JSON does not
        // fit, a shorter one is told by its length.
        var buffer = ArrayPool<byte>.Shared.Rent(body.Length + 1);
        try
        {
            var same = Encoding.UTF8.TryGetBytes(incoming.FhirJson, buffer.AsSpan(0, body.Length + 1), out var written)
                && buffer.AsSpan(0, written).SequenceEqual(body);
            return same ? null : body;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void LogAccepted(List<MessageRecord> accepted)
    {
        foreach (var message in accepted)
        {
            LogAccepted(_logger, message.MessageHeaderId, message.MessageType, message.SenderKey, message.ReceiverKey ?? "none");
        }
    }

    private async Task KeepRejectedAsync(byte[] body, string contentType, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        db.RawMessages.Add(new RawMessage { Id = TimeOrderedId.New(), ReceivedAt = now, ContentType = contentType, Body = body, Outcome = "rejected", RejectionReason = reason });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The sender as MedCom identifies it: EAN (location number) first, SOR otherwise.</summary>
    public static string SenderKey(OrganizationIdentity organization)
    {
        ArgumentNullException.ThrowIfNull(organization);
        return organization.Ean is { Length: > 0 } ean ? $"ean:{ean}"
            : organization.Sor is { Length: > 0 } sor ? $"sor:{sor}"
            : "unknown";
    }

    public ValueTask DisposeAsync() => _store.DisposeAsync();

    private sealed record UsedBundle(string SenderKey, string BundleId);

    /// <summary>A parsed message on its way into the store, with the FHIR work already done for it.</summary>
    private sealed record IncomingMessage(
        byte[] Body, string ContentType, MessageEnvelope Envelope, string FhirJson, string SenderKey, DateTimeOffset ReceivedAt,
        ValidationReport? Report, HospitalNotificationResult? Notification);

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted {MessageId} {MessageType} from {Sender} to {Receiver}")]
    private static partial void LogAccepted(ILogger logger, string messageId, string messageType, string sender, string receiver);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate {MessageId} from {Sender} (same bundle: {SameBundle}); not applied again")]
    private static partial void LogDuplicate(ILogger logger, string messageId, string sender, bool sameBundle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {MessageId} from {Sender}: its Bundle.id was used before by another message")]
    private static partial void LogBundleReused(ILogger logger, string messageId, string sender);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a body that is not a FHIR message: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}

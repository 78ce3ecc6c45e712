using Integration.Contracts;
using Integration.Fhir;
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
/// </summary>
public sealed partial class MessageIngestion(
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
    /// <param name="format">null when the body is recognisably neither JSON nor XML: it is kept and rejected.</param>
    public async Task<IngestionResult> IngestAsync(byte[] body, FhirFormat? format, string contentType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var now = clock.GetUtcNow();
        var parsed = format is null
            ? new ParseResult(null, new ParseFailure("The body is neither FHIR JSON nor FHIR XML (use Content-Type application/fhir+json or application/fhir+xml).", null))
            : parser.Parse(body, format.Value);
        if (!parsed.Succeeded)
        {
            var reason = Cpr.MaskInText(parsed.Failure!.Reason);
            await KeepRejectedAsync(body, contentType, reason, now, cancellationToken);
            LogRejected(logger, reason);
            return new IngestionResult(IngestionOutcome.Rejected, null, reason);
        }

        var message = parsed.Message!;
        var envelope = message.Envelope;
        var senderKey = SenderKey(envelope.Sender);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await StoreAsync(body, contentType, message, senderKey, now, cancellationToken);
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Two sendings of one message raced on the unique (sender, MessageHeader.id) key: the second is a resend.
            }
        }
    }

    private async Task<IngestionResult> StoreAsync(
        byte[] body, string contentType, ParsedMessage message, string senderKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var envelope = message.Envelope;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.Messages.FirstOrDefaultAsync(
            m => m.SenderKey == senderKey && m.MessageHeaderId == envelope.MessageHeaderId, cancellationToken);
        IngestionResult result;
        if (existing is not null)
        {
            result = await RecordResendAsync(db, existing, body, contentType, envelope, senderKey, now, cancellationToken);
        }
        else if (await db.BundleReceptions.AnyAsync(b => b.SenderKey == senderKey && b.BundleId == envelope.BundleId, cancellationToken))
        {
            // MedCom: a Bundle.id already received with another MessageHeader.id is an error, never a new message.
            result = await RecordReusedBundleAsync(db, body, contentType, message, senderKey, now, cancellationToken);
        }
        else
        {
            result = await RecordNewAsync(db, body, contentType, message, senderKey, now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    private async Task<IngestionResult> RecordReusedBundleAsync(
        HubDbContext db, byte[] body, string contentType, ParsedMessage parsed, string senderKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var envelope = parsed.Envelope;
        var message = NewRecord(parsed, senderKey, now);
        message.State = MessageState.Failed;
        message.FailureReason = $"Bundle.id {envelope.BundleId} was received before with another MessageHeader.id";
        db.Messages.Add(message);
        db.RawMessages.Add(new RawMessage { Id = Guid.NewGuid(), ReceivedAt = now, ContentType = contentType, Body = body, Outcome = "rejected", RejectionReason = message.FailureReason, MessageId = message.Id });
        db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = now, Kind = "received", Detail = $"Bundle {envelope.BundleId}" });
        db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = now, Kind = "rejected", Detail = message.FailureReason });
        if (message.MessageType == MessageTypes.Acknowledgement)
        {
            LogBundleReused(logger, envelope.MessageHeaderId, senderKey);
            return new IngestionResult(IngestionOutcome.Accepted, envelope.MessageHeaderId, null); // an ACK is never acknowledged
        }

        await acknowledgements.AcknowledgeAsync(db, message, AcknowledgementCode.FatalError,
            [new MedComIssue("MSG_DUPLICATE_ID", message.FailureReason + ": a resend keeps its MessageHeader.id, a new message needs a new Bundle.id.", "Bundle.id", "hub-bundle-id-reused")],
            cancellationToken);
        LogBundleReused(logger, envelope.MessageHeaderId, senderKey);
        return new IngestionResult(IngestionOutcome.Accepted, envelope.MessageHeaderId, null);
    }

    private MessageRecord NewRecord(ParsedMessage parsed, string senderKey, DateTimeOffset now)
    {
        var envelope = parsed.Envelope;
        var sender = partners.Find(envelope.Sender.Ean, envelope.Sender.Sor);
        var receiver = envelope.Receivers.Count > 0 ? envelope.Receivers[0] : null;
        var id = Guid.NewGuid();
        return new MessageRecord
        {
            Id = id,
            SenderKey = senderKey,
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
            CitizenKey = citizenKeys.For(envelope.CitizenCpr),
            State = MessageState.Received,
            ReceivedAt = now,
            UpdatedAt = now,
            Body = new MessageBody { Id = id, FhirJson = parsed.FhirJson },
        };
    }

    private async Task<IngestionResult> RecordNewAsync(
        HubDbContext db, byte[] body, string contentType, ParsedMessage parsed, string senderKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var envelope = parsed.Envelope;
        var receiver = envelope.Receivers.Count > 0 ? envelope.Receivers[0] : null;
        var message = NewRecord(parsed, senderKey, now);
        var citizenKey = message.CitizenKey;
        db.Messages.Add(message);
        db.BundleReceptions.Add(new BundleReception { SenderKey = senderKey, BundleId = envelope.BundleId, MessageId = message.Id, ReceivedAt = now });
        db.RawMessages.Add(new RawMessage { Id = Guid.NewGuid(), ReceivedAt = now, ContentType = contentType, Body = body, Outcome = "accepted", MessageId = message.Id });
        db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = now, Kind = "received", Detail = $"Bundle {envelope.BundleId}" });
        var route = new RouteMessage
        {
            MessageId = message.Id,
            SenderKey = senderKey,
            MessageHeaderId = envelope.MessageHeaderId,
            BundleId = envelope.BundleId,
            MessageType = envelope.MessageType,
            SenderEan = envelope.Sender.Ean,
            SenderSor = envelope.Sender.Sor,
            ReceiverEan = receiver?.Ean,
            ReceiverSor = receiver?.Sor,
            CitizenKey = citizenKey,
        };
        LogAccepted(logger, envelope.MessageHeaderId, envelope.MessageType, senderKey, message.ReceiverKey ?? "none");
        if (envelope.MessageType == MessageTypes.Acknowledgement)
        {
            db.Enqueue(QueueNames.Router, route, now);
        }
        else
        {
            await router.ApplyAsync(db, message, route, validator.Validate(parsed), now, cancellationToken);
            if (message.State == MessageState.Routed && envelope.MessageType == MessageTypes.HospitalNotification)
            {
                // Read now, from the Bundle already parsed, for the municipal handler in this process (it would parse
                // the stored JSON again). An entry of a transaction that then rolls back is never taken: its id is new.
                readAhead.Put(message.Id, notifications.Read(parsed));
            }
        }

        return new IngestionResult(IngestionOutcome.Accepted, envelope.MessageHeaderId, null);
    }

    private async Task<IngestionResult> RecordResendAsync(
        HubDbContext db, MessageRecord existing, byte[] body, string contentType, MessageEnvelope envelope, string senderKey, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sameEnvelope = await db.BundleReceptions.AnyAsync(b => b.SenderKey == senderKey && b.BundleId == envelope.BundleId, cancellationToken);
        if (!sameEnvelope)
        {
            db.BundleReceptions.Add(new BundleReception { SenderKey = senderKey, BundleId = envelope.BundleId, MessageId = existing.Id, ReceivedAt = now });
        }

        existing.DuplicateCount++;
        existing.UpdatedAt = now;
        db.RawMessages.Add(new RawMessage { Id = Guid.NewGuid(), ReceivedAt = now, ContentType = contentType, Body = body, Outcome = "duplicate", MessageId = existing.Id });
        db.MessageEvents.Add(new MessageEvent
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
            acknowledgements.Resend(db, ack);
        }
        else if (await db.SentMessages.FirstOrDefaultAsync(s => s.SourceMessageId == existing.Id && s.AckMessageId != null, cancellationToken) is { } sent)
        {
            // The hub passed the message on: the answer is the receiver's acknowledgement, relayed again unchanged.
            AcknowledgementLedger.QueueRelay(db, sent, sent.AckMessageId!.Value, now);
        }

        LogDuplicate(logger, envelope.MessageHeaderId, senderKey, sameEnvelope);
        return new IngestionResult(IngestionOutcome.Duplicate, envelope.MessageHeaderId, null);
    }

    private async Task KeepRejectedAsync(byte[] body, string contentType, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.RawMessages.Add(new RawMessage { Id = Guid.NewGuid(), ReceivedAt = now, ContentType = contentType, Body = body, Outcome = "rejected", RejectionReason = reason });
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted {MessageId} {MessageType} from {Sender} to {Receiver}")]
    private static partial void LogAccepted(ILogger logger, string messageId, string messageType, string sender, string receiver);

    [LoggerMessage(Level = LogLevel.Information, Message = "Duplicate {MessageId} from {Sender} (same bundle: {SameBundle}); not applied again")]
    private static partial void LogDuplicate(ILogger logger, string messageId, string sender, bool sameBundle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {MessageId} from {Sender}: its Bundle.id was used before by another message")]
    private static partial void LogBundleReused(ILogger logger, string messageId, string sender);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a body that is not a FHIR message: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);
}

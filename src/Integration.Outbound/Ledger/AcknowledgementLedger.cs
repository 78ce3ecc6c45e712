using Integration.Contracts;
using Integration.Fhir;
using Integration.Ids;
using Integration.Messaging;
using Integration.Messaging.Outbox;
using Integration.Outbound.Acknowledgements;
using Integration.Persistence;
using Integration.Persistence.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Integration.Outbound.Ledger;

public enum AcknowledgementMatch { Matched, AlreadySettled, Unmatched }

/// <summary>
/// Applies a partner's acknowledgement to the message it answers, found by MessageHeader.response.identifier:
/// ok settles it, transient-error schedules a resend (while resends are left), fatal-error stops it.
/// </summary>
public sealed class AcknowledgementLedger(LedgerOptions options, TimeProvider clock)
{
    public async Task<(AcknowledgementMatch Match, SentMessage? Message)> ApplyAsync(
        HubDbContext db, ReceivedAcknowledgement acknowledgement, string? acknowledgingPartnerId, Guid acknowledgementMessageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(acknowledgement);
        var candidates = await db.SentMessages
            .Where(s => s.MessageHeaderId == acknowledgement.RespondsToMessageHeaderId)
            .ToListAsync(cancellationToken);
        // Only the receiver of a message can acknowledge it; when the ACK's sender is unknown, a single candidate is enough.
        var row = candidates.FirstOrDefault(s => s.ReceiverPartnerId == acknowledgingPartnerId)
                  ?? (acknowledgingPartnerId is null && candidates.Count == 1 ? candidates[0] : null);
        if (row is null)
        {
            return (AcknowledgementMatch.Unmatched, null);
        }

        var now = clock.GetUtcNow();
        var code = AcknowledgementWriter.ToWire(acknowledgement.Code);
        var issue = acknowledgement.Issues.Count > 0 ? acknowledgement.Issues[0].Code : null;
        if (row.State is SentMessageState.Acknowledged or SentMessageState.InError)
        {
            DeliverSentMessageConsumer.Touch(row, now, "ack-after-settled", issue is null ? code : $"{code} {issue}");
            return (AcknowledgementMatch.AlreadySettled, row);
        }

        row.AckCode = code;
        row.AckIssueCode = issue;
        row.AckMessageId = acknowledgementMessageId;
        row.AckDeadline = null;
        switch (acknowledgement.Code)
        {
            case AcknowledgementCode.Ok:
                row.State = SentMessageState.Acknowledged;
                row.NextAttemptAt = null;
                DeliverSentMessageConsumer.Touch(row, now, "acknowledged", code);
                break;
            case AcknowledgementCode.TransientError when row.Sendings <= options.MaxResends:
                row.State = SentMessageState.WaitingForRetry;
                row.NextAttemptAt = now + options.RetryDelay;
                DeliverSentMessageConsumer.Touch(row, now, "waiting-for-retry", $"{code} {issue}; resend at {row.NextAttemptAt:O}");
                break;
            case AcknowledgementCode.TransientError:
                row.State = SentMessageState.InError;
                row.NextAttemptAt = null;
                row.LastError = $"transient-error {issue} after {row.Sendings} sendings; no resends left";
                DeliverSentMessageConsumer.Touch(row, now, "in-error", row.LastError);
                break;
            default:
                row.State = SentMessageState.InError;
                row.NextAttemptAt = null;
                row.LastError = $"fatal-error {issue}: the receiver rejected the message; it is not resent";
                DeliverSentMessageConsumer.Touch(row, now, "in-error", row.LastError);
                break;
        }

        QueueRelay(db, row, acknowledgementMessageId, now);
        return (AcknowledgementMatch.Matched, row);
    }

    /// <summary>The partner the message came from gets the receiver's acknowledgement, unchanged (it was the receiver's answer to it).</summary>
    public static void QueueRelay(HubDbContext db, SentMessage row, Guid acknowledgementMessageId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(row);
        if (row.OriginPartnerId is null)
        {
            return;
        }

        db.Enqueue(QueueNames.Outbound, new RelayAcknowledgement
        {
            DeliveryId = TimeOrderedId.New(),
            AcknowledgementMessageId = acknowledgementMessageId,
            AnsweredMessageId = row.SourceMessageId,
            PartnerId = row.OriginPartnerId,
        }, now);
    }
}

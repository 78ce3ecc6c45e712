using Integration.Fhir;
using Integration.Outbound.Acknowledgements;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Integration.Persistence.Outbox;
using Integration.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Integration.Municipal;

/// <summary>
/// The inbox step every municipal handler starts with, inside its transaction: a message is applied once per
/// (consumer, sender, MessageHeader.id), however often the broker or a resend delivers it.
/// </summary>
internal static class MunicipalInbox
{
    /// <returns>The message record to apply, with its FHIR JSON and its inbox row added; null when it was applied before or is unknown.</returns>
    public static async Task<MessageRecord?> EnterAsync(
        HubDbContext db, string consumer, string senderKey, string messageHeaderId, Guid messageId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var alreadyApplied = await db.Inbox.AnyAsync(
            i => i.Consumer == consumer && i.SenderKey == senderKey && i.MessageHeaderId == messageHeaderId, cancellationToken);
        var message = await db.Messages.Include(m => m.Body).FirstOrDefaultAsync(m => m.Id == messageId, cancellationToken);
        if (alreadyApplied || message is null)
        {
            return null;
        }

        Enter(db, message, consumer, senderKey, messageHeaderId, now);
        return message;
    }

    /// <summary>The inbox step for a message the caller has found not applied before: its inbox row is added.</summary>
    public static void Enter(HubDbContext db, MessageRecord message, string consumer, string senderKey, string messageHeaderId, DateTimeOffset now)
    {
        db.Inbox.Add(new InboxEntry { Consumer = consumer, SenderKey = senderKey, MessageHeaderId = messageHeaderId, ProcessedAt = now });
        message.UpdatedAt = now;
    }

    /// <summary>The message cannot be applied as it is: failed, with the reasons (CPR masked) and a fatal-error acknowledgement.</summary>
    public static Task RejectAsync(
        HubDbContext db, AcknowledgementWriter acknowledgements, MessageRecord message, IReadOnlyList<MedComIssue> issues, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        Fail(db, message, issues, now);
        return acknowledgements.AcknowledgeAsync(db, message, AcknowledgementCode.FatalError, issues, cancellationToken);
    }

    /// <param name="acknowledgement">The message's acknowledgement as the caller read it; null when it has none.</param>
    public static Task RejectAsync(
        HubDbContext db, AcknowledgementWriter acknowledgements, MessageRecord message, AcknowledgementRecord? acknowledgement,
        IReadOnlyList<MedComIssue> issues, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Fail(db, message, issues, now);
        return acknowledgements.AcknowledgeAsync(db, message, acknowledgement, AcknowledgementCode.FatalError, issues, cancellationToken);
    }

    private static void Fail(HubDbContext db, MessageRecord message, IReadOnlyList<MedComIssue> issues, DateTimeOffset now)
    {
        message.State = MessageState.Failed;
        message.FailureReason = Cpr.MaskInText(string.Join("; ", issues.Select(i => $"{i.Code} at {i.Path}")));
        db.AddEvent(new MessageEvent { MessageId = message.Id, At = now, Kind = "failed", Detail = message.FailureReason });
    }
}

/// <summary>What an operator's retry needs from the municipal inbox.</summary>
public static class MunicipalInboxReopening
{
    private static readonly string[] Consumers =
    [
        Stays.HospitalNotificationHandler.InboxConsumer,
        Correspondence.CareCommunicationHandler.InboxConsumer,
        Episodes.RehabilitationRequestHandler.InboxConsumer,
    ];

    /// <summary>
    /// Forgets that a handler took a message it rejected, so a retry is handled again rather than swallowed as a
    /// redelivery. Call it only for a failed or parked message, inside the retry's transaction: such a message was never
    /// applied (a handler marks a message processed in the same transaction that applies it), so nothing is applied twice.
    /// </summary>
    public static Task<int> ReopenAsync(HubDbContext db, string senderKey, string messageHeaderId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Inbox
            .Where(i => Consumers.Contains(i.Consumer) && i.SenderKey == senderKey && i.MessageHeaderId == messageHeaderId)
            .ExecuteDeleteAsync(cancellationToken);
    }
}

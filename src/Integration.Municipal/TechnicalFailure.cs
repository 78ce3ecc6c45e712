using Integration.Fhir;
using Integration.Outbound.Acknowledgements;
using Integration.Persistence;
using Integration.Persistence.Messages;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Integration.Municipal;

/// <summary>
/// Every retry of a municipal handler failed (a technical fault, not a bad message): mark the message failed and tell
/// the sender with a transient-error acknowledgement, which per MedCom means "resend later". The command waits in the
/// error queue for replay.
/// </summary>
public sealed class TechnicalFailure(IDbContextFactory<HubDbContext> dbFactory, AcknowledgementWriter acknowledgements, TimeProvider clock)
{
    public async Task RecordAsync(Guid messageId, IReadOnlyList<ExceptionInfo> exceptions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exceptions);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId, cancellationToken);
        if (message is null || message.State is MessageState.Processed or MessageState.Failed)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var reason = exceptions.Count > 0 ? exceptions[0].ExceptionType : "unknown fault";
        message.State = MessageState.Failed;
        message.FailureReason = $"technical fault: {reason}";
        message.UpdatedAt = now;
        db.AddEvent(new MessageEvent { MessageId = message.Id, At = now, Kind = "failed", Detail = message.FailureReason });
        await acknowledgements.AcknowledgeAsync(db, message, AcknowledgementCode.TransientError,
            [new MedComIssue(MedComIssueCodes.MailboxOutOfOperation, "The receiver could not process the message now; resend it later.", null)], cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }
}

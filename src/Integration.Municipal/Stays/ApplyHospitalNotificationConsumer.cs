using Integration.Contracts;
using Integration.Fhir;
using Integration.Outbound.Acknowledgements;
using Integration.Persistence;
using Integration.Persistence.Messages;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Integration.Municipal.Stays;

public sealed class ApplyHospitalNotificationConsumer(HospitalNotificationHandler handler) : IConsumer<ApplyHospitalNotification>
{
    public Task Consume(ConsumeContext<ApplyHospitalNotification> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return handler.HandleAsync(context.Message, context.CancellationToken);
    }
}

/// <summary>
/// Every retry failed (a technical fault, not a bad message): mark the message failed and tell the sender with a
/// transient-error acknowledgement, which per MedCom means "resend later". The message waits in the error queue for replay.
/// </summary>
public sealed class ApplyHospitalNotificationFaultConsumer(
    IDbContextFactory<HubDbContext> dbFactory, AcknowledgementWriter acknowledgements, TimeProvider clock)
    : IConsumer<Fault<ApplyHospitalNotification>>
{
    public async Task Consume(ConsumeContext<Fault<ApplyHospitalNotification>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message.Message;
        await using var db = await dbFactory.CreateDbContextAsync(context.CancellationToken);
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == command.MessageId, context.CancellationToken);
        if (message is null || message.State is MessageState.Processed or MessageState.Failed)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var reason = context.Message.Exceptions.FirstOrDefault()?.ExceptionType ?? "unknown fault";
        message.State = MessageState.Failed;
        message.FailureReason = $"technical fault: {reason}";
        message.UpdatedAt = now;
        db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = now, Kind = "failed", Detail = message.FailureReason });
        await acknowledgements.AcknowledgeAsync(db, message, AcknowledgementCode.TransientError,
            [new MedComIssue("MSG_Mailbox_Out_Of_Operation", "The receiver could not process the message now; resend it later.", null)], context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

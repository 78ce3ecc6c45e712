using Integration.Contracts;
using Integration.Fhir;
using Integration.Messaging;
using Integration.Messaging.Outbox;
using Integration.Outbound.Acknowledgements;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Messages;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Integration.Routing;

/// <summary>
/// Decides who receives a message and sends it to that municipality's queue. A message the hub cannot deliver
/// (receiver missing, unknown, or unable to take this type) is parked and answered with a fatal-error acknowledgement.
/// </summary>
public sealed partial class RouteMessageConsumer(
    IDbContextFactory<HubDbContext> dbFactory,
    IPartnerRegistry partners,
    AcknowledgementWriter acknowledgements,
    OutboxSignal outboxSignal,
    TimeProvider clock,
    ILogger<RouteMessageConsumer> logger) : IConsumer<RouteMessage>
{
    public async Task Consume(ConsumeContext<RouteMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message;
        await using var db = await dbFactory.CreateDbContextAsync(context.CancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == command.MessageId, context.CancellationToken);
        if (message is null || message.State != MessageState.Received)
        {
            return; // routed before (the outbox may send a row twice after a crash)
        }

        var now = clock.GetUtcNow();
        message.UpdatedAt = now;
        if (command.MessageType == MessageTypes.Acknowledgement)
        {
            // An acknowledgement is never acknowledged. Matching it to what the hub sent is the ACK ledger's job.
            message.State = MessageState.Processed;
            db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = now, Kind = "processed", Detail = "acknowledgement received; not acknowledged" });
            await db.SaveChangesAsync(context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
            return;
        }

        var decision = Decide(command);
        if (decision.Receiver is null)
        {
            message.State = MessageState.Parked;
            message.FailureReason = decision.Issue!.Text;
            db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = now, Kind = "parked", Detail = $"{decision.Issue.Code}: {decision.Issue.Text}" });
            await acknowledgements.AcknowledgeAsync(db, message, AcknowledgementCode.FatalError, [decision.Issue], context.CancellationToken);
            LogParked(logger, command.MessageHeaderId, command.MessageType, decision.Issue.Code);
        }
        else
        {
            var receiver = decision.Receiver;
            message.State = MessageState.Routed;
            message.ReceiverPartnerId = receiver.Id;
            message.ReceiverName ??= receiver.Name;
            message.MunicipalityCode = receiver.MunicipalityCode;
            var queue = QueueNames.Municipality(receiver.MunicipalityCode!);
            db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = now, Kind = "routed", Detail = $"to {receiver.Id} on {queue}" });
            db.Enqueue(queue, new ApplyHospitalNotification
            {
                MessageId = message.Id,
                MunicipalityCode = receiver.MunicipalityCode!,
                ReceiverPartnerId = receiver.Id,
                SenderPartnerId = message.SenderPartnerId ?? "unknown",
                SenderKey = command.SenderKey,
                MessageHeaderId = command.MessageHeaderId,
                CitizenKey = command.CitizenKey,
                FhirJson = command.FhirJson,
            }, now);
            LogRouted(logger, command.MessageHeaderId, command.MessageType, receiver.Id, receiver.MunicipalityCode!);
        }

        await db.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
        outboxSignal.Notify();
    }

    private (Partner? Receiver, MedComIssue? Issue) Decide(RouteMessage command)
    {
        if (string.IsNullOrEmpty(command.ReceiverEan) && string.IsNullOrEmpty(command.ReceiverSor))
        {
            return (null, new MedComIssue("MSG_Receiver_Identifier_MISSING", "MessageHeader.destination names no receiver with an EAN or SOR identifier.", "Bundle.entry[0].resource.destination"));
        }

        var receiver = partners.Find(command.ReceiverEan, command.ReceiverSor);
        if (receiver is null)
        {
            return (null, new MedComIssue("MSG_Receiver_Identifier_UNKNOWN",
                $"No partner with EAN {command.ReceiverEan ?? "-"} / SOR {command.ReceiverSor ?? "-"} is known to the hub.", "Bundle.entry[0].resource.destination[0].receiver"));
        }

        if (command.MessageType != MessageTypes.HospitalNotification || receiver.MunicipalityCode is null)
        {
            return (null, new MedComIssue("MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE",
                $"Receiver {receiver.Id} does not take {command.MessageType} through the hub.", "Bundle.entry[0].resource.eventCoding"));
        }

        return (receiver, null);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Routed {MessageId} {MessageType} to {Receiver} in municipality {Municipality}")]
    private static partial void LogRouted(ILogger logger, string messageId, string messageType, string receiver, string municipality);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parked {MessageId} {MessageType}: {IssueCode}")]
    private static partial void LogParked(ILogger logger, string messageId, string messageType, string issueCode);
}

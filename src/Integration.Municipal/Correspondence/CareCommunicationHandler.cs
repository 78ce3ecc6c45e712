using Integration.Contracts;
using Integration.Fhir;
using Integration.Ids;
using Integration.Messaging.Outbox;
using Integration.Outbound.Acknowledgements;
using Integration.Outbound.Ledger;
using Integration.Persistence;
using Integration.Persistence.Conversations;
using Integration.Persistence.Messages;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Integration.Municipal.Correspondence;

/// <summary>
/// Keeps a municipality's CareCommunication threads. An incoming message (hospital or GP → municipality) joins its
/// conversation and is acknowledged for the municipality; an outgoing one (municipality → hospital or GP) joins it and is
/// sent on through the ACK ledger, which resends it until the receiver acknowledges. One transaction, applied once.
/// </summary>
public sealed partial class CareCommunicationHandler(
    IDbContextFactory<HubDbContext> dbFactory,
    ICareCommunicationReader reader,
    AcknowledgementWriter acknowledgements,
    SentMessageWriter sender,
    TimeProvider clock,
    ILogger<CareCommunicationHandler> logger)
{
    internal const string InboxConsumer = "municipal.care-communication";

    public async Task HandleAsync(ApplyCareCommunication command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (await MunicipalInbox.EnterAsync(db, InboxConsumer, command.SenderKey, command.MessageHeaderId, command.MessageId, now, cancellationToken) is not { } message)
        {
            return; // applied before (a redelivery or a resend), or not the hub's message
        }
        var read = reader.Read(message.Body.FhirJson);
        if (!read.Succeeded)
        {
            await MunicipalInbox.RejectAsync(db, acknowledgements, message, read.Errors, now, cancellationToken);
            LogInvalid(logger, command.MessageHeaderId, read.Errors.Count > 0 ? read.Errors[0].Code : "unknown");
        }
        else
        {
            var communication = read.Message!;
            var conversation = await JoinConversationAsync(db, command, communication, now, cancellationToken);
            var activity = communication.Activity.ToString().ToLowerInvariant();
            message.State = MessageState.Processed;
            message.EventCode = activity;
            if (command.Direction == CareCommunicationDirection.Incoming)
            {
                db.AddEvent(new MessageEvent
                {
                    MessageId = message.Id, At = now, Kind = "processed",
                    Detail = $"{activity} ({communication.Category}) kept in conversation {conversation.ThreadId} of municipality {command.MunicipalityCode}",
                });
                await acknowledgements.AcknowledgeAsync(db, message, AcknowledgementCode.Ok, [], cancellationToken);
            }
            else
            {
                var sent = sender.Send(db, new OutgoingMessage
                {
                    MessageHeaderId = command.MessageHeaderId,
                    BundleId = message.BundleId,
                    MessageType = MessageTypes.CareCommunication,
                    ReceiverPartnerId = command.CounterpartPartnerId,
                    OriginPartnerId = command.MunicipalPartnerId,
                    SourceMessageId = message.Id,
                    CitizenKey = command.CitizenKey,
                    FhirJson = message.Body.FhirJson,
                });
                db.AddEvent(new MessageEvent
                {
                    MessageId = message.Id, At = now, Kind = "processed",
                    Detail = $"{activity} ({communication.Category}) kept in conversation {conversation.ThreadId}; sent to {command.CounterpartPartnerId}, tracked until acknowledged (ledger {sent.Id})",
                });
            }

            LogApplied(logger, command.MessageHeaderId, command.Direction, activity, communication.Category, command.MunicipalityCode);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<Conversation> JoinConversationAsync(
        HubDbContext db, ApplyCareCommunication command, CareCommunication communication, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Messages of one citizen come in order (partitioned by citizen), so two messages of one thread never race here.
        var conversation = await db.Conversations.FirstOrDefaultAsync(
            c => c.MunicipalityCode == command.MunicipalityCode && c.ThreadId == communication.ConversationId, cancellationToken);
        if (conversation is null)
        {
            conversation = new Conversation
            {
                Id = TimeOrderedId.New(),
                MunicipalityCode = command.MunicipalityCode,
                ThreadId = communication.ConversationId,
                CitizenKey = command.CitizenKey,
                Category = communication.Category,
                Topic = communication.Topic,
                StartedAt = communication.SentAt,
                LastMessageAt = communication.SentAt,
            };
            db.Conversations.Add(conversation);
        }
        else if (communication.SentAt > conversation.LastMessageAt)
        {
            conversation.LastMessageAt = communication.SentAt;
        }

        db.ConversationMessages.Add(new ConversationMessage
        {
            ConversationId = conversation.Id,
            MessageId = command.MessageId,
            MessageHeaderId = command.MessageHeaderId,
            Direction = command.Direction == CareCommunicationDirection.Incoming ? "incoming" : "outgoing",
            Activity = communication.Activity.ToString().ToLowerInvariant(),
            Category = communication.Category,
            Topic = communication.Topic,
            CounterpartPartnerId = command.CounterpartPartnerId,
            SentAt = communication.SentAt,
            PreviousMessageHeaderIds = communication.PreviousMessageHeaderIds.Count == 0 ? null : string.Join(",", communication.PreviousMessageHeaderIds),
        });
        return conversation;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {MessageId} CareCommunication {Direction} {Activity} ({Category}) in municipality {Municipality}")]
    private static partial void LogApplied(ILogger logger, string messageId, CareCommunicationDirection direction, string activity, string category, string municipality);

    [LoggerMessage(Level = LogLevel.Warning, Message = "CareCommunication {MessageId} cannot be read: {IssueCode}")]
    private static partial void LogInvalid(ILogger logger, string messageId, string issueCode);
}

public sealed class ApplyCareCommunicationConsumer(CareCommunicationHandler handler) : IConsumer<ApplyCareCommunication>
{
    public Task Consume(ConsumeContext<ApplyCareCommunication> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return handler.HandleAsync(context.Message, context.CancellationToken);
    }
}

/// <summary>Every retry of a CareCommunication failed: see <see cref="TechnicalFailure"/>.</summary>
public sealed class ApplyCareCommunicationFaultConsumer(TechnicalFailure failure) : IConsumer<Fault<ApplyCareCommunication>>
{
    public Task Consume(ConsumeContext<Fault<ApplyCareCommunication>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return failure.RecordAsync(context.Message.Message.MessageId, context.Message.Exceptions, context.CancellationToken);
    }
}

using Integration.Contracts;
using Integration.Fhir;
using Integration.Messaging;
using Integration.Messaging.Outbox;
using Integration.Outbound.Acknowledgements;
using Integration.Outbound.Ledger;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Microsoft.Extensions.Logging;

namespace Integration.Routing;

/// <summary>
/// Acts on a stored message once MedCom's rules were checked: a message that breaks them, or that the hub cannot deliver
/// (receiver missing, unknown, or unable to take the type), is answered with a fatal-error acknowledgement; a valid one
/// goes to the municipality's queue (HospitalNotification, CareCommunication, training plan, referral) or is passed on
/// and tracked; an acknowledgement settles the message the hub sent. An acknowledgement itself is never acknowledged.
/// Works inside the caller's transaction: ingress routes a new message in the transaction that keeps it, the router
/// consumer routes what ingress left to it and what an operator retries.
/// </summary>
public sealed partial class MessageRouter(
    ReceiverDecisions receivers,
    IAcknowledgementReader acknowledgementReader,
    AcknowledgementWriter acknowledgements,
    AcknowledgementLedger ledger,
    SentMessageWriter sender,
    ILogger<MessageRouter> logger)
{
    /// <summary>At most this many validation errors go into one acknowledgement; the trace keeps the count.</summary>
    private const int MaxIssuesPerAcknowledgement = 20;

    public async Task ApplyAsync(
        HubDbContext db, MessageRecord message, RouteMessage command, ValidationReport report, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(report);
        message.UpdatedAt = now;
        if (!report.IsValid)
        {
            await RejectInvalidAsync(db, message, command, report, now, cancellationToken);
            return;
        }

        db.AddEvent(new MessageEvent
        {
            MessageId = message.Id,
            At = now,
            Kind = "validated",
            Detail = report.Issues.Count == 0 ? "MedCom rules hold" : $"MedCom rules hold; {report.Issues.Count} warning(s): {string.Join(", ", report.Issues.Select(i => i.Rule).Distinct())}",
        });
        if (command.MessageType == MessageTypes.Acknowledgement)
        {
            await ApplyAcknowledgementAsync(db, message, command, now, cancellationToken);
        }
        else
        {
            await RouteAsync(db, message, command, now, cancellationToken);
        }
    }

    private async Task RejectInvalidAsync(
        HubDbContext db, MessageRecord message, RouteMessage command, ValidationReport report, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var errors = report.Errors.ToList();
        message.State = MessageState.Failed;
        message.FailureReason = Privacy.Cpr.MaskInText($"{errors.Count} MedCom rule(s) broken: {string.Join("; ", errors.Take(3).Select(e => $"{e.Rule} at {e.Path}"))}");
        db.AddEvent(new MessageEvent { MessageId = message.Id, At = now, Kind = "invalid", Detail = message.FailureReason });
        if (command.MessageType == MessageTypes.Acknowledgement)
        {
            LogInvalid(logger, command.MessageHeaderId, command.MessageType, errors.Count, errors[0].Rule);
            return; // an acknowledgement is never acknowledged, not even a broken one
        }

        var issues = errors.Take(MaxIssuesPerAcknowledgement)
            .Select(e => new MedComIssue(e.MedComCode, Privacy.Cpr.MaskInText(e.Text), e.Path, e.Rule))
            .ToList();
        await acknowledgements.AcknowledgeAsync(db, message, AcknowledgementCode.FatalError, issues, cancellationToken);
        LogInvalid(logger, command.MessageHeaderId, command.MessageType, errors.Count, errors[0].Rule);
    }

    private async Task ApplyAcknowledgementAsync(HubDbContext db, MessageRecord message, RouteMessage command, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // An acknowledgement is never acknowledged: it settles (or not) a message the hub sent, found by response.identifier.
        message.State = MessageState.Processed;
        var read = acknowledgementReader.Read(message.Body.FhirJson);
        if (!read.Succeeded)
        {
            message.State = MessageState.Failed;
            message.FailureReason = string.Join("; ", read.Errors.Select(e => e.Text));
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = now, Kind = "invalid", Detail = message.FailureReason });
            return;
        }

        var acknowledgement = read.Acknowledgement!;
        message.EventCode = AcknowledgementWriter.ToWire(acknowledgement.Code);
        var (match, sent) = await ledger.ApplyAsync(db, acknowledgement, message.SenderPartnerId, message.Id, cancellationToken);
        var detail = match switch
        {
            AcknowledgementMatch.Matched => $"{message.EventCode} for {acknowledgement.RespondsToMessageHeaderId}: sent message now {sent!.State}",
            AcknowledgementMatch.AlreadySettled => $"{message.EventCode} for {acknowledgement.RespondsToMessageHeaderId}: already {sent!.State}, nothing changed",
            _ => $"{message.EventCode} for {acknowledgement.RespondsToMessageHeaderId}: matches no message the hub sent",
        };
        db.AddEvent(new MessageEvent { MessageId = message.Id, At = now, Kind = match == AcknowledgementMatch.Unmatched ? "ack-unmatched" : "ack-matched", Detail = detail });
        LogAcknowledgement(logger, command.MessageHeaderId, acknowledgement.RespondsToMessageHeaderId, message.EventCode, match);
    }

    private async Task RouteAsync(HubDbContext db, MessageRecord message, RouteMessage command, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var decision = receivers.Decide(command);
        if (decision.Issue is not null)
        {
            message.State = MessageState.Parked;
            message.FailureReason = decision.Issue.Text;
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = now, Kind = "parked", Detail = $"{decision.Issue.Code}: {decision.Issue.Text}" });
            await acknowledgements.AcknowledgeAsync(db, message, AcknowledgementCode.FatalError, [decision.Issue], cancellationToken);
            LogParked(logger, command.MessageHeaderId, command.MessageType, decision.Issue.Code);
            return;
        }

        if (decision.MunicipalUnit is null)
        {
            Relay(db, message, command, decision, now);
            return;
        }

        var municipal = decision.MunicipalUnit;
        message.State = MessageState.Routed;
        message.ReceiverPartnerId = decision.Receiver!.Id;
        message.ReceiverName ??= decision.Receiver.Name;
        message.MunicipalityCode = municipal.MunicipalityCode;
        var queue = QueueNames.Municipality(municipal.MunicipalityCode!);
        var outgoing = decision.Direction == CareCommunicationDirection.Outgoing;
        db.AddEvent(new MessageEvent
        {
            MessageId = message.Id,
            At = now,
            Kind = "routed",
            Detail = outgoing ? $"from {municipal.Id} to {decision.Receiver.Id}, via {queue}" : $"to {municipal.Id} on {queue}",
        });
        if (command.MessageType is MessageTypes.TrainingPlan or MessageTypes.Referral)
        {
            db.Enqueue(queue, new ApplyRehabilitationRequest
            {
                MessageId = message.Id,
                MessageType = command.MessageType,
                MunicipalityCode = municipal.MunicipalityCode!,
                MunicipalPartnerId = municipal.Id,
                SenderPartnerId = message.SenderPartnerId ?? "unknown",
                SenderKey = command.SenderKey,
                MessageHeaderId = command.MessageHeaderId,
                CitizenKey = command.CitizenKey,
            }, now);
        }
        else if (command.MessageType == MessageTypes.HospitalNotification)
        {
            db.Enqueue(queue, new ApplyHospitalNotification
            {
                MessageId = message.Id,
                MunicipalityCode = municipal.MunicipalityCode!,
                ReceiverPartnerId = municipal.Id,
                SenderPartnerId = message.SenderPartnerId ?? "unknown",
                SenderKey = command.SenderKey,
                MessageHeaderId = command.MessageHeaderId,
                CitizenKey = command.CitizenKey,
            }, now);
        }
        else
        {
            db.Enqueue(queue, new ApplyCareCommunication
            {
                MessageId = message.Id,
                Direction = decision.Direction,
                MunicipalityCode = municipal.MunicipalityCode!,
                MunicipalPartnerId = municipal.Id,
                CounterpartPartnerId = outgoing ? decision.Receiver.Id : message.SenderPartnerId ?? command.SenderKey,
                SenderKey = command.SenderKey,
                MessageHeaderId = command.MessageHeaderId,
                CitizenKey = command.CitizenKey,
            }, now);
        }

        LogRouted(logger, command.MessageHeaderId, command.MessageType, decision.Receiver.Id, municipal.MunicipalityCode!);
    }

    /// <summary>Neither side is a municipality the hub serves: pass the message on and track it until the receiver
    /// acknowledges; the receiver's ACK goes back to the sender unchanged.</summary>
    private void Relay(HubDbContext db, MessageRecord message, RouteMessage command, ReceiverDecision decision, DateTimeOffset now)
    {
        var receiver = decision.Receiver!;
        var sent = sender.Send(db, new OutgoingMessage
        {
            MessageHeaderId = command.MessageHeaderId,
            BundleId = command.BundleId,
            MessageType = command.MessageType,
            ReceiverPartnerId = receiver.Id,
            OriginPartnerId = decision.Origin!.Id,
            SourceMessageId = message.Id,
            CitizenKey = command.CitizenKey,
            FhirJson = message.Body.FhirJson,
        });
        message.State = MessageState.Processed;
        message.ReceiverPartnerId = receiver.Id;
        message.ReceiverName ??= receiver.Name;
        db.AddEvent(new MessageEvent
        {
            MessageId = message.Id,
            At = now,
            Kind = "relayed",
            Detail = $"passed on to {receiver.Id}, tracked until acknowledged (ledger {sent.Id}); its acknowledgement goes back to {decision.Origin.Id}",
        });
        LogRelayed(logger, command.MessageHeaderId, command.MessageType, decision.Origin.Id, receiver.Id);
    }

    // Debug: a routed message's log line is ingress's "Accepted … from … to …", and its trace records the route. Each line is
    // a share of the hub's CPU at a country's volume (docs/performance.md); what goes wrong is logged as a warning.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Routed {MessageId} {MessageType} to {Receiver} in municipality {Municipality}")]
    private static partial void LogRouted(ILogger logger, string messageId, string messageType, string receiver, string municipality);

    [LoggerMessage(Level = LogLevel.Information, Message = "Relayed {MessageId} {MessageType} from {Origin} to {Receiver}")]
    private static partial void LogRelayed(ILogger logger, string messageId, string messageType, string origin, string receiver);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Parked {MessageId} {MessageType}: {IssueCode}")]
    private static partial void LogParked(ILogger logger, string messageId, string messageType, string issueCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {MessageId} {MessageType}: {ErrorCount} MedCom rule(s) broken, first {Rule}")]
    private static partial void LogInvalid(ILogger logger, string messageId, string messageType, int errorCount, string rule);

    [LoggerMessage(Level = LogLevel.Information, Message = "Acknowledgement {MessageId} ({AckCode}) for {RespondsTo}: {Match}")]
    private static partial void LogAcknowledgement(ILogger logger, string messageId, string respondsTo, string ackCode, AcknowledgementMatch match);
}

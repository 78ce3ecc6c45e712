using Integration.Access;
using Integration.Contracts;
using Integration.Fhir;
using Integration.Messaging;
using Integration.Messaging.Outbox;
using Integration.Municipal;
using Integration.Outbound.Acknowledgements;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Integration.Privacy;
using Integration.Routing;
using Microsoft.EntityFrameworkCore;

namespace Integration.Repair;

/// <summary>
/// Puts a failed or parked message back on its way from the stored message, through the router like a new one: checked
/// against MedCom's rules and routed with the partner registry as it is now. A dry run says what would happen and changes
/// nothing. A real retry changes the message's state, records the "retry" event and the audit entry, and queues the
/// message for the router in one transaction.
/// </summary>
public sealed class MessageRetry(
    IDbContextFactory<HubDbContext> dbFactory,
    IMessageValidator validator,
    ReceiverDecisions receivers,
    IPartnerRegistry partners,
    FailureGroups groups,
    AuditLog audit,
    TimeProvider clock)
{
    public enum Outcome { Done, NotFound, NotRetryable }

    public async Task<(Outcome Outcome, RetryResult? Result)> RetryMessageAsync(Actor actor, string id, string? reason, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var message = await RepairMessages.FindAsync(db, id, cancellationToken);
        if (message is null || !actor.MaySee(message.MunicipalityCode))
        {
            return (Outcome.NotFound, null);
        }

        if (message.State is not (MessageState.Failed or MessageState.Parked))
        {
            return (Outcome.NotRetryable, null);
        }

        var result = await RetryAsync(db, actor, [message.Id], reason, dryRun, group: null, cancellationToken);
        return (Outcome.Done, result);
    }

    /// <returns>null when the key is not a group key.</returns>
    public async Task<RetryResult?> RetryGroupAsync(Actor actor, string key, string? reason, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var members = await groups.MessagesAsync(actor, key, cancellationToken);
        if (members is null)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await RetryAsync(db, actor, [.. members.Select(m => m.Id)], reason, dryRun, key, cancellationToken);
    }

    private async Task<RetryResult> RetryAsync(
        HubDbContext db, Actor actor, IReadOnlyList<Guid> ids, string? reason, bool dryRun, string? group, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var messages = await db.Messages.AsNoTracking().Include(m => m.Body).Where(m => ids.Contains(m.Id)).OrderBy(m => m.ReceivedAt).ToListAsync(cancellationToken);
        var acknowledgements = await db.Acknowledgements.AsNoTracking().Where(a => ids.Contains(a.MessageId)).ToDictionaryAsync(a => a.MessageId, cancellationToken);
        var maskedReason = reason is null ? null : Cpr.MaskInText(reason);
        var previews = new List<RetryPreview>(messages.Count);
        foreach (var message in messages)
        {
            var preview = Preview(message, acknowledgements.GetValueOrDefault(message.Id));
            if (!dryRun && preview.Retryable && await PutBackAsync(db, actor, message, maskedReason, cancellationToken))
            {
                preview = preview with { Retried = true };
            }

            previews.Add(preview);
        }

        var retried = previews.Count(p => p.Retried);
        if (!dryRun)
        {
            if (group is not null)
            {
                audit.Add(db, actor, AuditActions.RetryGroup, group, maskedReason, $"{retried} of {previews.Count} message(s) retried", SingleMunicipality(messages));
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return new RetryResult(dryRun, retried, previews);
    }

    /// <returns>False when the message left the failed or parked state meanwhile (another operator retried it).</returns>
    private async Task<bool> PutBackAsync(HubDbContext db, Actor actor, MessageRecord message, string? reason, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // A sender unknown at reception may be in the registry now: its acknowledgement then has somewhere to go.
        var senderPartnerId = message.SenderPartnerId ?? partners.Find(message.SenderEan, message.SenderSor)?.Id;
        var changed = await db.Messages
            .Where(m => m.Id == message.Id && (m.State == MessageState.Failed || m.State == MessageState.Parked))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.State, MessageState.Received)
                .SetProperty(m => m.FailureReason, (string?)null)
                .SetProperty(m => m.SenderPartnerId, senderPartnerId)
                .SetProperty(m => m.UpdatedAt, now), cancellationToken);
        if (changed == 0)
        {
            return false;
        }

        // A municipal handler that rejected the message remembers it in its inbox: forget that, or the retry is dropped as
        // a redelivery. A failed or parked message was never applied, so this cannot apply anything twice.
        await MunicipalInboxReopening.ReopenAsync(db, message.SenderKey, message.MessageHeaderId, cancellationToken);
        db.AddEvent(new MessageEvent
        {
            MessageId = message.Id,
            At = now,
            Kind = AcknowledgementWriter.RetryEventKind,
            Detail = $"retried by {actor.Name} ({actor.Role}) from {message.State.ToString().ToLowerInvariant()}" + (reason is null ? "" : $": {reason}"),
        });
        db.Enqueue(QueueNames.Router, ToRouteMessage(message), now);
        audit.Add(db, actor, AuditActions.Retry, message.MessageHeaderId, reason,
            $"put back on its way from {message.State.ToString().ToLowerInvariant()} ({FailureReason.Of(message.FailureReason, null).Code})", message.MunicipalityCode);
        return true;
    }

    private RetryPreview Preview(MessageRecord message, AcknowledgementRecord? acknowledgement)
    {
        var retryable = message.State is MessageState.Failed or MessageState.Parked;
        var report = validator.Validate(message.Body.FhirJson);
        var validation = new ValidationPreview(report.IsValid, [.. report.Errors.Select(e => e.Rule).Distinct(StringComparer.Ordinal)], report.Issues.Count(i => i.Severity == ValidationSeverity.Warning));
        var route = !report.IsValid
            ? new RoutePreview { Outcome = "failed", Detail = $"breaks {validation.BrokenRules.Count} MedCom rule(s): {string.Join(", ", validation.BrokenRules.Take(3))}" }
            : message.MessageType == MessageTypes.Acknowledgement
                ? new RoutePreview { Outcome = "acknowledgement", Detail = "settles the message the hub sent that it answers (ACK ledger)" }
                : Route(receivers.Decide(ToRouteMessage(message)));
        var succeeds = route.Outcome is "municipality" or "relay" or "acknowledgement";
        var ackPreview = new AcknowledgementPreview
        {
            SentCode = acknowledgement?.Code,
            SentIssueCode = acknowledgement?.IssueCode,
            SentAt = acknowledgement?.CreatedAt,
            Delivered = acknowledgement?.DeliveredAt is not null,
            AfterRetry = AfterRetry(message, acknowledgement, route, succeeds),
        };
        var summary = !retryable
            ? $"not retried: the message is {message.State.ToString().ToLowerInvariant()}, not failed or parked"
            : route.Outcome switch
            {
                "municipality" => $"would be routed to {route.ReceiverPartnerId} in municipality {route.MunicipalityCode} ({route.Queue}) and applied there",
                "relay" => $"would be passed on to {route.ReceiverPartnerId} and tracked until acknowledged",
                "acknowledgement" => "would be applied to the ACK ledger",
                "parked" => $"would be parked again: {route.IssueCode}",
                _ => $"would fail again: {route.Detail}",
            };
        return new RetryPreview
        {
            MessageId = message.Id,
            MessageHeaderId = message.MessageHeaderId,
            Type = message.MessageType,
            State = message.State.ToString().ToLowerInvariant(),
            GroupKey = FailureReason.Of(message.FailureReason, acknowledgement?.IssueCode).KeyFor(message.State),
            Retryable = retryable,
            Retried = false,
            Validation = validation,
            Route = route,
            Acknowledgement = ackPreview,
            Summary = summary,
        };
    }

    private static RoutePreview Route(ReceiverDecision decision)
    {
        if (decision.Issue is { } issue)
        {
            return new RoutePreview { Outcome = "parked", IssueCode = issue.Code, Detail = issue.Text };
        }

        if (decision.MunicipalUnit is { } unit)
        {
            var queue = QueueNames.Municipality(unit.MunicipalityCode!);
            return new RoutePreview
            {
                Outcome = "municipality",
                ReceiverPartnerId = decision.Receiver!.Id,
                MunicipalityCode = unit.MunicipalityCode,
                Queue = queue,
                Detail = decision.Direction == CareCommunicationDirection.Outgoing
                    ? $"kept by {unit.Id} and sent on to {decision.Receiver.Id}"
                    : $"applied by the handlers of municipality {unit.MunicipalityCode} for {unit.Id}",
            };
        }

        var receiver = decision.Receiver!;
        return new RoutePreview
        {
            Outcome = "relay",
            ReceiverPartnerId = receiver.Id,
            Detail = $"passed on to {receiver.Id} via {receiver.Delivery.Type.ToString().ToLowerInvariant()}; its acknowledgement goes back to {decision.Origin!.Id}",
        };
    }

    /// <summary>The acknowledgement policy of docs/adr/0007-repair.md, in words.</summary>
    private static string AfterRetry(MessageRecord message, AcknowledgementRecord? acknowledgement, RoutePreview route, bool succeeds)
    {
        if (message.MessageType == MessageTypes.Acknowledgement)
        {
            return "none: an acknowledgement is never acknowledged";
        }

        if (route.Outcome == "relay")
        {
            return acknowledgement is null
                ? "the receiver's acknowledgement, relayed"
                : $"the receiver's acknowledgement, relayed after the {acknowledgement.Code} the sender already got";
        }

        if (!succeeds)
        {
            return acknowledgement is null ? "a fatal-error acknowledgement" : $"nothing new: it already has the {acknowledgement.Code} acknowledgement";
        }

        return acknowledgement is null
            ? "an ok acknowledgement once the municipality applies it"
            : $"a new ok acknowledgement once the municipality applies it, replacing the {acknowledgement.Code} one (a later resend is answered with the ok)";
    }

    private static RouteMessage ToRouteMessage(MessageRecord message) => new()
    {
        MessageId = message.Id,
        SenderKey = message.SenderKey,
        MessageHeaderId = message.MessageHeaderId,
        BundleId = message.BundleId,
        MessageType = message.MessageType,
        SenderEan = message.SenderEan,
        SenderSor = message.SenderSor,
        ReceiverEan = message.ReceiverEan,
        ReceiverSor = message.ReceiverSor,
        CitizenKey = message.CitizenKey,
    };

    private static string? SingleMunicipality(List<MessageRecord> messages) =>
        messages.Select(m => m.MunicipalityCode).Distinct().Count() == 1 ? messages[0].MunicipalityCode : null;
}

using Integration.Access;
using Integration.Contracts;
using Integration.Fhir;
using Integration.Ids;
using Integration.Messaging.Outbox;
using Integration.Outbound.Ledger;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Integration.Privacy;
using Microsoft.EntityFrameworkCore;

namespace Integration.Repair;

/// <summary>The answer to a replay (or its dry run).</summary>
public sealed record ReplayResult
{
    public required bool DryRun { get; init; }
    public required Guid MessageId { get; init; }
    /// <summary>The replayed message's original MessageHeader.id.</summary>
    public required string MessageHeaderId { get; init; }
    public required string Type { get; init; }
    public required string ReceiverPartnerId { get; init; }
    public required string ReceiverName { get; init; }
    /// <summary>queue or http.</summary>
    public required string Channel { get; init; }
    /// <summary>The replay's own MessageHeader.id (null in a dry run).</summary>
    public string? ReplayMessageHeaderId { get; init; }
    public string? ReplayBundleId { get; init; }
    /// <summary>The ACK ledger row that tracks the replay until the receiver acknowledges it (null in a dry run).</summary>
    public Guid? SentMessageId { get; init; }
    /// <summary>Warnings of the MedCom rules for the replayed message (errors refuse the replay).</summary>
    public required IReadOnlyList<string> Warnings { get; init; }
}

/// <summary>
/// Sends a processed message again, as a new message (new MessageHeader.id and Bundle.id) addressed to a chosen partner,
/// through the ACK ledger: tracked, resent and put in error like any message the hub sends. The receiver's
/// acknowledgement settles the ledger row and is not relayed anywhere: the replay is the hub's.
/// </summary>
public sealed class MessageReplay(
    IDbContextFactory<HubDbContext> dbFactory,
    IPartnerRegistry partners,
    IMessageReaddresser readdresser,
    IMessageValidator validator,
    SentMessageWriter sender,
    AuditLog audit,
    TimeProvider clock)
{
    public enum Outcome { Done, NotFound, NotReplayable, UnknownReceiver, Invalid }

    public async Task<(Outcome Outcome, ReplayResult? Result, string? Problem)> ReplayAsync(
        Actor actor, string id, string receiverPartnerId, string? reason, bool dryRun, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var message = await RepairMessages.FindAsync(db, id, cancellationToken);
        if (message is null || !actor.MaySee(message.MunicipalityCode))
        {
            return (Outcome.NotFound, null, null);
        }

        if (message.State != MessageState.Processed || message.MessageType == MessageTypes.Acknowledgement)
        {
            return (Outcome.NotReplayable, null, $"only a processed message can be replayed (this one is {message.State.ToString().ToLowerInvariant()} {message.MessageType})");
        }

        if (partners.FindById(receiverPartnerId) is not { } receiver)
        {
            return (Outcome.UnknownReceiver, null, $"no partner {receiverPartnerId} in the registry");
        }

        var now = clock.GetUtcNow();
        var headerId = TimeOrderedId.New().ToString();
        var bundleId = TimeOrderedId.New().ToString();
        var replay = readdresser.Readdress(message.Body.FhirJson, new ReplayAddress(headerId, bundleId, now,
            new OrganizationIdentity(receiver.Ean, receiver.Sor, receiver.Name), receiver.Delivery.Endpoint?.ToString()));
        if (!replay.Succeeded)
        {
            return (Outcome.Invalid, null, Cpr.MaskInText(replay.Failure!));
        }

        var report = validator.Validate(replay.FhirJson!);
        if (!report.IsValid)
        {
            return (Outcome.Invalid, null, $"the replayed message would break MedCom rules: {string.Join(", ", report.Errors.Select(e => e.Rule).Distinct(StringComparer.Ordinal))}");
        }

        var result = new ReplayResult
        {
            DryRun = dryRun,
            MessageId = message.Id,
            MessageHeaderId = message.MessageHeaderId,
            Type = message.MessageType,
            ReceiverPartnerId = receiver.Id,
            ReceiverName = receiver.Name,
            Channel = receiver.Delivery.Type.ToString().ToLowerInvariant(),
            Warnings = [.. report.Issues.Select(i => i.Rule).Distinct(StringComparer.Ordinal)],
        };
        if (dryRun)
        {
            return (Outcome.Done, result, null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var sent = sender.Send(db, new OutgoingMessage
        {
            MessageHeaderId = headerId,
            BundleId = bundleId,
            MessageType = message.MessageType,
            ReceiverPartnerId = receiver.Id,
            SourceMessageId = message.Id,
            CitizenKey = message.CitizenKey,
            FhirJson = replay.FhirJson!,
        });
        var masked = reason is null ? null : Cpr.MaskInText(reason);
        db.AddEvent(new MessageEvent
        {
            MessageId = message.Id,
            At = now,
            Kind = "replayed",
            Detail = $"replayed by {actor.Name} ({actor.Role}) as {headerId} to {receiver.Id}, tracked until acknowledged (ledger {sent.Id})" + (masked is null ? "" : $": {masked}"),
        });
        audit.Add(db, actor, AuditActions.Replay, message.MessageHeaderId, masked, $"sent as {headerId} to {receiver.Id} (ledger {sent.Id})", message.MunicipalityCode);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (Outcome.Done, result with { ReplayMessageHeaderId = headerId, ReplayBundleId = bundleId, SentMessageId = sent.Id }, null);
    }
}

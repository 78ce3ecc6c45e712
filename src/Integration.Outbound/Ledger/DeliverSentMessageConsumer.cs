using Integration.Contracts;
using Integration.Outbound.Delivery;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Ledger;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Integration.Outbound.Ledger;

/// <summary>Delivers one sending of a tracked message; from then on the ledger waits for the partner's acknowledgement.</summary>
public sealed partial class DeliverSentMessageConsumer(
    IDbContextFactory<HubDbContext> dbFactory,
    IPartnerRegistry partners,
    PartnerDelivery delivery,
    LedgerOptions options,
    TimeProvider clock,
    ILogger<DeliverSentMessageConsumer> logger) : IConsumer<DeliverSentMessage>
{
    private const string InboxConsumer = "outbound.sent-delivery";

    public async Task Consume(ConsumeContext<DeliverSentMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message;
        var cancellationToken = context.CancellationToken;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await DeliveryInbox.DeliveredBeforeAsync(db, InboxConsumer, command.DeliveryId, cancellationToken))
        {
            return; // delivered before; the command was redelivered
        }

        var row = await db.SentMessages.FirstOrDefaultAsync(s => s.Id == command.SentMessageId, cancellationToken);
        if (row is null || row.CurrentBundleId != command.BundleId || row.State != SentMessageState.Sent)
        {
            return; // superseded by a resend, or settled (acknowledged, in error) while the command waited
        }

        var now = clock.GetUtcNow();
        var partner = partners.FindById(row.ReceiverPartnerId);
        if (partner is null)
        {
            row.State = SentMessageState.InError;
            row.LastError = $"receiver {row.ReceiverPartnerId} is not in the partner registry";
            row.AckDeadline = null;
            Touch(row, now, "in-error", row.LastError);
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        await delivery.DeliverAsync(partner, new PartnerMessage
        {
            PartnerId = partner.Id,
            MessageHeaderId = row.MessageHeaderId,
            BundleId = row.CurrentBundleId,
            MessageType = row.MessageType,
            ContentType = "application/fhir+json",
            FhirJson = row.FhirJson,
        }, cancellationToken);

        now = clock.GetUtcNow();
        DeliveryInbox.Remember(db, InboxConsumer, command.DeliveryId, now);
        row.State = SentMessageState.AwaitingAck;
        row.AckDeadline = now + options.AckTimeout; // MedCom's 30 minutes count from when the partner has the message
        Touch(row, now, "delivered", $"Bundle {row.CurrentBundleId} via {partner.Delivery.Type.ToString().ToLowerInvariant()}; awaiting acknowledgement");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The partner's ACK (or a resend) changed the row while we delivered: its state wins; only remember the delivery.
            db.ChangeTracker.Clear();
            DeliveryInbox.Remember(db, InboxConsumer, command.DeliveryId, now);
            db.SentMessageEvents.Add(new SentMessageEvent { SentMessageId = row.Id, At = now, Kind = "delivered", Detail = $"Bundle {command.BundleId}" });
            await db.SaveChangesAsync(cancellationToken);
        }

        LogDelivered(logger, row.MessageHeaderId, row.MessageType, partner.Id, row.Sendings);
    }

    internal static void Touch(SentMessage row, DateTimeOffset now, string kind, string? detail)
    {
        row.UpdatedAt = now;
        row.Version++;
        row.Events.Add(new SentMessageEvent { SentMessageId = row.Id, At = now, Kind = kind, Detail = detail });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivered {MessageId} {MessageType} to {PartnerId} (sending {Sending}); awaiting acknowledgement")]
    private static partial void LogDelivered(ILogger logger, string messageId, string messageType, string partnerId, int sending);
}

/// <summary>Every delivery retry failed: the sending counts, and the ledger tries again after the retry delay.</summary>
public sealed class SentMessageDeliveryFaultConsumer(IDbContextFactory<HubDbContext> dbFactory, LedgerOptions options, TimeProvider clock)
    : IConsumer<Fault<DeliverSentMessage>>
{
    public async Task Consume(ConsumeContext<Fault<DeliverSentMessage>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message.Message;
        var reason = context.Message.Exceptions.FirstOrDefault()?.Message ?? "delivery failed";
        await using var db = await dbFactory.CreateDbContextAsync(context.CancellationToken);
        var row = await db.SentMessages.FirstOrDefaultAsync(s => s.Id == command.SentMessageId, context.CancellationToken);
        if (row is null || row.CurrentBundleId != command.BundleId || row.State != SentMessageState.Sent)
        {
            return;
        }

        var now = clock.GetUtcNow();
        row.State = SentMessageState.WaitingForRetry;
        row.NextAttemptAt = now + options.RetryDelay;
        row.AckDeadline = null;
        row.LastError = Integration.Privacy.Cpr.MaskInText(reason);
        DeliverSentMessageConsumer.Touch(row, now, "delivery-failed", row.LastError);
        try
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // settled meanwhile (e.g. the partner acknowledged an earlier sending): nothing to retry
        }
    }
}

using Integration.Contracts;
using Integration.Outbound.Delivery;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Messages;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Integration.Outbound.Ledger;

/// <summary>Delivers a received acknowledgement, unchanged, to the partner whose message it answers.</summary>
public sealed class RelayAcknowledgementConsumer(
    IDbContextFactory<HubDbContext> dbFactory, IPartnerRegistry partners, PartnerDelivery delivery, TimeProvider clock)
    : IConsumer<RelayAcknowledgement>
{
    private const string InboxConsumer = "outbound.ack-relay";

    public async Task Consume(ConsumeContext<RelayAcknowledgement> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Message;
        await using var db = await dbFactory.CreateDbContextAsync(context.CancellationToken);
        if (await DeliveryInbox.DeliveredBeforeAsync(db, InboxConsumer, command.DeliveryId, context.CancellationToken))
        {
            return;
        }

        var ack = await db.Messages.AsNoTracking().Include(m => m.Body).FirstOrDefaultAsync(m => m.Id == command.AcknowledgementMessageId, context.CancellationToken);
        var partner = partners.FindById(command.PartnerId);
        var now = clock.GetUtcNow();
        string kind, detail;
        if (ack is null || partner is null)
        {
            (kind, detail) = ("ack-relay-failed", $"{command.PartnerId} is not in the partner registry");
        }
        else
        {
            await delivery.DeliverAsync(partner, new PartnerMessage
            {
                PartnerId = partner.Id,
                MessageHeaderId = ack.MessageHeaderId,
                BundleId = ack.BundleId,
                MessageType = ack.MessageType,
                ContentType = "application/fhir+json",
                FhirJson = ack.Body.FhirJson,
            }, context.CancellationToken);
            (kind, detail) = ("ack-relayed", $"acknowledgement {ack.MessageHeaderId} passed on to {partner.Id}");
        }

        DeliveryInbox.Remember(db, InboxConsumer, command.DeliveryId, now);
        db.AddEvent(new MessageEvent { MessageId = command.AcknowledgementMessageId, At = now, Kind = kind, Detail = detail });
        if (command.AnsweredMessageId is { } answered)
        {
            db.AddEvent(new MessageEvent { MessageId = answered, At = now, Kind = kind, Detail = detail });
        }

        await db.SaveChangesAsync(context.CancellationToken);
    }
}

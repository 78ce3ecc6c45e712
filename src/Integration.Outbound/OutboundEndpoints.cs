using Integration.Messaging;
using Integration.Outbound.Delivery;
using MassTransit;

namespace Integration.Outbound;

internal sealed class OutboundEndpoints : IHubEndpoints
{
    private const int DeliveriesAtOnce = 64;

    public void ConfigureEndpoints(IBusRegistrationContext context, IReceiveConfigurator bus, MessagingOptions options)
    {
        bus.ReceiveEndpoint(QueueNames.Outbound, e =>
        {
            // Deliveries wait on partners' HTTP answers: many at once, so their database work can be grouped (ADR 0012).
            e.ApplyHubDefaults(options, prefetch: DeliveriesAtOnce);
            // The HTTP client retries quickly inside one attempt; these slower retries ride out a partner's outage.
            e.UseMessageRetry(r => r.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)));
            // Copies of one delivery (the outbox resends when a publisher confirm was lost) run one after the other, so
            // the second finds the first's inbox row instead of racing it to the partner.
            e.ConfigureConsumer<DeliverAcknowledgementConsumer>(context, c =>
                c.Message<Contracts.DeliverAcknowledgement>(m => m.UsePartitioner(DeliveriesAtOnce, x => x.Message.AcknowledgementId)));
            e.ConfigureConsumer<AcknowledgementDeliveryFaultConsumer>(context);
            e.ConfigureConsumer<Ledger.DeliverSentMessageConsumer>(context, c =>
                c.Message<Contracts.DeliverSentMessage>(m => m.UsePartitioner(8, x => x.Message.SentMessageId)));
            e.ConfigureConsumer<Ledger.SentMessageDeliveryFaultConsumer>(context);
            e.ConfigureConsumer<Ledger.RelayAcknowledgementConsumer>(context, c =>
                c.Message<Contracts.RelayAcknowledgement>(m => m.UsePartitioner(8, x => x.Message.DeliveryId)));
        });
    }
}

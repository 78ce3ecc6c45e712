using Integration.Messaging;
using Integration.Outbound.Delivery;
using MassTransit;

namespace Integration.Outbound;

internal sealed class OutboundEndpoints : IHubEndpoints
{
    public void ConfigureEndpoints(IBusRegistrationContext context, IReceiveConfigurator bus, MessagingOptions options)
    {
        bus.ReceiveEndpoint(QueueNames.Outbound, e =>
        {
            e.ApplyHubDefaults(options);
            // The HTTP client retries quickly inside one attempt; these slower retries ride out a partner's outage.
            e.UseMessageRetry(r => r.Intervals(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)));
            e.ConfigureConsumer<DeliverAcknowledgementConsumer>(context);
            e.ConfigureConsumer<AcknowledgementDeliveryFaultConsumer>(context);
        });
    }
}

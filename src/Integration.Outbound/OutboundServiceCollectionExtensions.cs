using Integration.Messaging;
using Integration.Outbound.Acknowledgements;
using Integration.Outbound.Delivery;
using Integration.Outbound.Ledger;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace Integration.Outbound;

public static class OutboundServiceCollectionExtensions
{
    public static IServiceCollection AddOutbound(this IServiceCollection services, LedgerOptions? ledger = null)
    {
        services.AddSingleton(ledger ?? new LedgerOptions());
        services.AddSingleton<AcknowledgementWriter>();
        services.AddSingleton<SentMessageWriter>();
        services.AddSingleton<AcknowledgementLedger>();
        services.AddSingleton<LedgerSweep>();
        services.AddHostedService<LedgerSweeper>();
        services.AddSingleton<PartnerDelivery>();
        services.AddSingleton<AcknowledgementDeliveries>();
        services.AddSingleton<AcknowledgementDelivery>();
        services.AddSingleton<IInProcessHandler, InProcessAcknowledgementDelivery>();
        services.AddSingleton<IHubEndpoints, OutboundEndpoints>();
        services.AddHttpClient(PartnerDelivery.HttpClientName)
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.MaxRetryAttempts = 3;
                o.Retry.Delay = TimeSpan.FromMilliseconds(200);
                o.Retry.BackoffType = Polly.DelayBackoffType.Exponential;
                o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(30);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(30);
            })
            // One circuit breaker per partner host: a broken partner must not open the circuit for the others.
            .SelectPipelineByAuthority();
        return services;
    }

    public static void AddOutboundConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<DeliverAcknowledgementConsumer>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<AcknowledgementDeliveryFaultConsumer>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<DeliverSentMessageConsumer>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<SentMessageDeliveryFaultConsumer>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<RelayAcknowledgementConsumer>().ExcludeFromConfigureEndpoints();
    }
}

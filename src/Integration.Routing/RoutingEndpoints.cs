using Integration.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Routing;

internal sealed class RoutingEndpoints : IHubEndpoints
{
    public void ConfigureEndpoints(IBusRegistrationContext context, IReceiveConfigurator bus, MessagingOptions options)
    {
        bus.ReceiveEndpoint(QueueNames.Router, e =>
        {
            e.ApplyHubDefaults(options);
            e.UseMessageRetry(r => r.Intervals(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)));
            e.ConfigureConsumer<RouteMessageConsumer>(context);
        });
    }
}

public static class RoutingServiceCollectionExtensions
{
    public static IServiceCollection AddMessageRouting(this IServiceCollection services) =>
        services.AddSingleton<ReceiverDecisions>().AddSingleton<MessageRouter>().AddSingleton<IHubEndpoints, RoutingEndpoints>();

    public static void AddRoutingConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<RouteMessageConsumer>().ExcludeFromConfigureEndpoints();
    }
}

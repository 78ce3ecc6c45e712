using Integration.Monitoring.Broker;
using Integration.Monitoring.Flow;
using Integration.Monitoring.Search;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Monitoring;

public static class MonitoringServiceCollectionExtensions
{
    /// <summary>The dashboard's read side and the flow counter (a hosted service).</summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<FlowCounter>();
        services.AddHostedService<FlowCounterService>();
        services.AddSingleton<FlowOverviewQuery>();
        services.AddSingleton<MessageSearch>();
        services.AddSingleton<RawBodies>();
        services.AddSingleton<BrokerFigures>();
        services.AddHttpClient(RabbitMqManagementClient.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5));
        return services;
    }
}

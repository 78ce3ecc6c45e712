using MassTransit;

namespace Integration.Messaging;

public static class EndpointConventions
{
    /// <summary>Durable queue settings every hub endpoint shares: quorum queues on a cluster, bounded prefetch.</summary>
    public static void ApplyHubDefaults(this IReceiveEndpointConfigurator endpoint, MessagingOptions options, int prefetch = 32)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.PrefetchCount = prefetch;
            if (options.QuorumQueues)
            {
                rabbit.SetQuorumQueue();
            }
        }
    }
}

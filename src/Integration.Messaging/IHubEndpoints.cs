using MassTransit;

namespace Integration.Messaging;

/// <summary>
/// A feature's receive endpoints (queues, consumers, retry and partitioning). Each feature project registers one;
/// the bus configures them all on whichever transport is in use.
/// </summary>
public interface IHubEndpoints
{
    void ConfigureEndpoints(IBusRegistrationContext context, IReceiveConfigurator bus, MessagingOptions options);
}

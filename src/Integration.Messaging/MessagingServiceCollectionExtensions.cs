using Integration.Messaging.Outbox;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>Adds MassTransit on the configured transport, the features' endpoints, and the outbox dispatcher.</summary>
    public static IServiceCollection AddHubMessaging(this IServiceCollection services, MessagingOptions options, Action<IBusRegistrationConfigurator> addConsumers)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<ReadAhead>();
        services.AddSingleton<CommittedOutboxRows>();
        services.AddSingleton<OutboxSender>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxSender>());
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, OutboxCommitInterceptor>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddMassTransit(x =>
        {
            addConsumers(x);
            switch (options.Transport)
            {
                case TransportKind.RabbitMq:
                    x.UsingRabbitMq((context, cfg) =>
                    {
                        cfg.Host(options.RabbitMq.Host, options.RabbitMq.Port, options.RabbitMq.VirtualHost, h =>
                        {
                            h.Username(options.RabbitMq.Username);
                            h.Password(options.RabbitMq.Password);
                            // Publisher confirms: a send completes only when the broker has taken responsibility for the message.
                            h.PublisherConfirmation = true;
                        });
                        ConfigureAll(context, cfg, options);
                    });
                    break;
                case TransportKind.InMemory:
                    x.UsingInMemory((context, cfg) => ConfigureAll(context, cfg, options));
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(options), options.Transport, "Unknown transport.");
            }
        });
        return services;
    }

    private static void ConfigureAll(IBusRegistrationContext context, IBusFactoryConfigurator cfg, MessagingOptions options)
    {
        foreach (var endpoints in context.GetServices<IHubEndpoints>())
        {
            endpoints.ConfigureEndpoints(context, cfg, options);
        }
    }
}

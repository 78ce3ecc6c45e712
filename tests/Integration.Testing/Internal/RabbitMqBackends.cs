using DotNet.Testcontainers.Builders;
using RabbitMQ.Client;
using Testcontainers.RabbitMq;

namespace Integration.Testing.Internal;

/// <summary>One way of providing a broker: external URL, Docker container or local process.</summary>
internal interface IRabbitMqBackend : IAsyncDisposable
{
    string Host { get; }

    int AmqpPort { get; }

    int? ManagementPort { get; }

    string Username { get; }

    string Password { get; }

    string VirtualHost { get; }

    string Description { get; }

    Task RestartAsync(CancellationToken cancellationToken);
}

/// <summary>A broker someone else runs (HUB_TEST_RABBITMQ_URL): we neither start, stop nor restart it.</summary>
internal sealed class ExternalRabbitMq : IRabbitMqBackend
{
    public ExternalRabbitMq(Uri uri)
    {
        // ConnectionFactory applies the AMQP URI rules (default port, unescaping, "/" vhost) for us.
        var factory = new ConnectionFactory { Uri = uri };
        Host = factory.HostName;
        // "amqp" is not a scheme .NET knows, so an URL without a port has Port == -1: use the AMQP defaults.
        AmqpPort = uri.Port > 0 ? uri.Port : uri.Scheme == "amqps" ? 5671 : 5672;
        Username = factory.UserName;
        Password = factory.Password;
        VirtualHost = factory.VirtualHost;
        Description = $"external broker from {RabbitMqServer.UrlVariable} ({Host}:{AmqpPort}, vhost {VirtualHost})";
    }

    public string Host { get; }

    public int AmqpPort { get; }

    public int? ManagementPort => null;

    public string Username { get; }

    public string Password { get; }

    public string VirtualHost { get; }

    public string Description { get; }

    public Task RestartAsync(CancellationToken cancellationToken) =>
        throw new NotSupportedException(
            $"Cannot restart the external broker of {RabbitMqServer.UrlVariable}; restart tests need a broker the fixture owns (unset the variable).");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A broker in a Docker container (developer machines with Docker).</summary>
internal sealed class ContainerRabbitMq : IRabbitMqBackend
{
    // Same major/minor as Debian 12's rabbitmq-server, so the Docker and no-Docker paths behave alike.
    private const string Image = "rabbitmq:3.10-management";
    private const int ContainerAmqpPort = 5672;
    private const int ContainerManagementPort = 15672;

    private readonly RabbitMqContainer _container;
    private readonly Uri _uri;

    private ContainerRabbitMq(RabbitMqContainer container)
    {
        _container = container;
        _uri = new Uri(container.GetConnectionString());
    }

    /// <summary>Null when no Docker engine answers (Testcontainers finds out in about a second).</summary>
    public static async Task<ContainerRabbitMq?> TryStartAsync(CancellationToken cancellationToken)
    {
        RabbitMqContainer container;
        try
        {
            container = new RabbitMqBuilder(Image).WithPortBinding(ContainerManagementPort, assignRandomHostPort: true).Build();
        }
        catch (DockerUnavailableException)
        {
            return null;
        }

        try
        {
            await container.StartAsync(cancellationToken);
            return new ContainerRabbitMq(container);
        }
        catch (DockerUnavailableException)
        {
            await container.DisposeAsync();
            return null;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    public string Host => _container.Hostname;

    // Read on every call: Docker may map new host ports after RestartAsync.
    public int AmqpPort => _container.GetMappedPublicPort(ContainerAmqpPort);

    public int? ManagementPort => _container.GetMappedPublicPort(ContainerManagementPort);

    public string Username => Uri.UnescapeDataString(_uri.UserInfo.Split(':')[0]);

    public string Password => Uri.UnescapeDataString(_uri.UserInfo.Split(':', 2)[1]);

    public string VirtualHost => "/";

    public string Description => $"Docker container {_container.Id[..12]} ({Image})";

    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        // Stop keeps the container's file system (Mnesia data); start reruns the readiness wait.
        await _container.StopAsync(cancellationToken);
        await _container.StartAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _container.DisposeAsync();
}

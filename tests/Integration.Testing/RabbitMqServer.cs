using System.Diagnostics;
using Integration.Testing.Internal;
using RabbitMQ.Client;
using Xunit;

namespace Integration.Testing;

/// <summary>
/// A real RabbitMQ broker for integration tests. Use it as an xunit class/collection fixture when a test needs
/// a broker of its own (e.g. to restart it), or take the assembly-wide one from <see cref="SharedServers"/>.
/// </summary>
/// <remarks>
/// Where the broker comes from, first match wins:
/// <list type="number">
/// <item><c>HUB_TEST_RABBITMQ_URL</c> (amqp://user:pass@host:port/): a broker someone else runs;</item>
/// <item>a Testcontainers container, when a Docker engine answers;</item>
/// <item>Debian's rabbitmq-server started as a plain process on free ports (this machine and CI have no Docker).</item>
/// </list>
/// Never skips: if none works, <see cref="InitializeAsync"/> throws and says how to fix it.
/// Not thread-safe for <see cref="RestartAsync"/>; reading the properties concurrently is fine.
/// </remarks>
public sealed class RabbitMqServer : IAsyncLifetime
{
    /// <summary>Environment variable with the AMQP URL of an existing broker to use instead of starting one.</summary>
    public const string UrlVariable = "HUB_TEST_RABBITMQ_URL";

    /// <summary>Set to 1 to skip the Docker probe (saves about a second where there is no engine anyway).</summary>
    public const string NoDockerVariable = "HUB_TEST_NO_DOCKER";

    private IRabbitMqBackend? _backend;

    /// <summary>Host name or IP address of the broker.</summary>
    public string Host => Backend.Host;

    /// <summary>AMQP port (may change after <see cref="RestartAsync"/> only for Docker containers).</summary>
    public int AmqpPort => Backend.AmqpPort;

    /// <summary>HTTP port of the management plugin; null when unknown (external broker).</summary>
    public int? ManagementPort => Backend.ManagementPort;

    /// <summary>User name for AMQP and the management API.</summary>
    public string Username => Backend.Username;

    /// <summary>Password for AMQP and the management API.</summary>
    public string Password => Backend.Password;

    /// <summary>Virtual host to use (usually "/").</summary>
    public string VirtualHost => Backend.VirtualHost;

    /// <summary>amqp://user:pass@host:port/vhost - for MassTransit and RabbitMQ.Client.</summary>
    public Uri AmqpUri
    {
        get
        {
            var backend = Backend;
            var vhost = backend.VirtualHost == "/" ? string.Empty : Uri.EscapeDataString(backend.VirtualHost);
            return new UriBuilder("amqp", backend.Host, backend.AmqpPort, "/" + vhost)
            {
                UserName = Uri.EscapeDataString(backend.Username),
                Password = Uri.EscapeDataString(backend.Password),
            }.Uri;
        }
    }

    /// <summary>Where the broker came from (for test output when something goes wrong).</summary>
    public string Description => Backend.Description;

    /// <summary>How long <see cref="InitializeAsync"/> took (RabbitMQ boots in 5-11 s on a 2-core machine).</summary>
    public TimeSpan StartupTime { get; private set; }

    private IRabbitMqBackend Backend =>
        _backend ?? throw new InvalidOperationException("The RabbitMQ server is not started: await InitializeAsync() first.");

    /// <summary>Starts (or attaches to) the broker. On failure nothing is left running.</summary>
    public async Task InitializeAsync()
    {
        if (_backend is not null)
        {
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        _backend = await StartBackendAsync(CancellationToken.None);
        StartupTime = stopwatch.Elapsed;
    }

    private static async Task<IRabbitMqBackend> StartBackendAsync(CancellationToken cancellationToken)
    {
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        if (!string.IsNullOrWhiteSpace(url))
        {
            return new ExternalRabbitMq(new Uri(url));
        }

        Exception? dockerFailure = null;
        if (Environment.GetEnvironmentVariable(NoDockerVariable) != "1")
        {
            try
            {
                var container = await ContainerRabbitMq.TryStartAsync(cancellationToken);
                if (container is not null)
                {
                    return container;
                }
            }
            catch (Exception e) when (LocalRabbitMqNode.IsInstalled)
            {
                // Docker answered but the container failed (e.g. no network to pull the image):
                // the local broker is just as good for the tests.
                dockerFailure = e;
            }
        }

        try
        {
            return await LocalRabbitMqNode.StartAsync(cancellationToken);
        }
        catch (Exception e) when (dockerFailure is not null)
        {
            throw new AggregateException("Neither the Docker container nor the local RabbitMQ node started.", dockerFailure, e);
        }
    }

    /// <summary>
    /// Stops the broker and starts it again (same ports and data for the local node): for durability tests.
    /// Only for a broker this fixture owns - never restart the one from <see cref="SharedServers"/>, other
    /// test classes use it at the same time.
    /// </summary>
    public Task RestartAsync() => Backend.RestartAsync(CancellationToken.None);

    /// <summary>A connection factory for this broker (RabbitMQ.Client 7).</summary>
    public ConnectionFactory CreateConnectionFactory() => new()
    {
        Uri = AmqpUri,
        ClientProvidedName = "Integration.Testing",
    };

    /// <summary>Ready messages in <paramref name="queue"/> (not counting unacknowledged ones).</summary>
    /// <exception cref="RabbitMQ.Client.Exceptions.OperationInterruptedException">The queue does not exist.</exception>
    public async Task<uint> QueueMessageCountAsync(string queue)
    {
        await using var connection = await CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        // Passive: only looks the queue up, never creates it (a typo must fail, not report 0).
        var declareOk = await channel.QueueDeclarePassiveAsync(queue);
        return declareOk.MessageCount;
    }

    /// <summary>Stops the broker this fixture started (external brokers are left alone).</summary>
    public async Task DisposeAsync()
    {
        var backend = Interlocked.Exchange(ref _backend, null);
        if (backend is not null)
        {
            await backend.DisposeAsync();
        }
    }
}

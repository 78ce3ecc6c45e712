namespace Integration.Messaging;

public enum TransportKind { InMemory, RabbitMq }

/// <summary>Bound from the "Messaging" configuration section.</summary>
public sealed class MessagingOptions
{
    public TransportKind Transport { get; set; } = TransportKind.InMemory;
    public RabbitMqOptions RabbitMq { get; set; } = new();
    /// <summary>Concurrent citizens per municipality queue; messages about one citizen are applied one at a time.</summary>
    public int PartitionsPerMunicipality { get; set; } = 32;
    /// <summary>Use quorum queues (a RabbitMQ cluster); classic durable queues otherwise.</summary>
    public bool QuorumQueues { get; set; }
    /// <summary>Consumers of this process take some outbox rows straight after commit (acknowledgement delivery), the
    /// broker only those they cannot finish; false sends every row through the broker (docs/adr/0013).</summary>
    public bool InProcessDelivery { get; set; } = true;
}

public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "localhost";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";
    public string Username { get; set; } = "guest";
    public string Password { get; set; } = "guest";
    /// <summary>Management HTTP API port, for the dashboard's queue figures (default 15672 on <see cref="Host"/>).</summary>
    public int? ManagementPort { get; set; }
    /// <summary>The management HTTP API's address when it is not <see cref="Host"/>:<see cref="ManagementPort"/>, e.g. behind a proxy.</summary>
    public string? ManagementUrl { get; set; }
    /// <summary>A user for the management API (monitoring tag is enough); the AMQP user when not set.</summary>
    public string? ManagementUsername { get; set; }
    public string? ManagementPassword { get; set; }
}

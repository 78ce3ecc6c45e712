namespace Integration.Monitoring.Broker;

/// <summary>GET /api/dashboard/broker: the broker's health and every queue the caller may see.</summary>
public sealed record BrokerStatus
{
    public const string RabbitMqManagement = "rabbitmq-management";
    public const string InMemoryBus = "in-memory-bus";

    /// <summary>Where the figures come from: <c>rabbitmq-management</c> (the broker's management HTTP API) or
    /// <c>in-memory-bus</c> (the embedded default: MassTransit's own health and the hub's outbox).</summary>
    public required string Source { get; init; }
    /// <summary>The bus is connected and, on RabbitMQ, the management API answered.</summary>
    public required bool Healthy { get; init; }
    /// <summary>MassTransit's own view of the bus: Healthy, Degraded or Unhealthy.</summary>
    public required string BusHealth { get; init; }
    /// <summary>Why the broker's figures are missing (the management API did not answer), or null.</summary>
    public string? Error { get; init; }
    /// <summary>The broker as a whole (RabbitMQ only; null on the in-memory bus or when the management API failed).</summary>
    public BrokerTotals? Broker { get; init; }
    public required IReadOnlyList<QueueFigures> Queues { get; init; }
    /// <summary>Bus messages the hub has committed but not yet handed to the broker (its transactional outbox).</summary>
    public required OutboxBacklog Outbox { get; init; }
}

public sealed record BrokerTotals
{
    public string? Version { get; init; }
    public string? Node { get; init; }
    public long MessagesReady { get; init; }
    public long MessagesUnacked { get; init; }
    public double PublishRate { get; init; }
    public double DeliverRate { get; init; }
    public int Connections { get; init; }
    public int Consumers { get; init; }
}

/// <summary>One queue. The broker's figures are null on the in-memory bus, which does not expose them.</summary>
public sealed record QueueFigures
{
    public required string Name { get; init; }
    public long? Ready { get; init; }
    public long? Unacked { get; init; }
    public int? Consumers { get; init; }
    /// <summary>Messages per second published to / delivered from the queue (RabbitMQ's recent rate).</summary>
    public double? PublishRate { get; init; }
    public double? DeliverRate { get; init; }
    /// <summary>RabbitMQ's queue state (running, idle, …), null when unknown.</summary>
    public string? State { get; init; }
    /// <summary>The hub's outbox rows for this queue not yet sent.</summary>
    public required int OutboxPending { get; init; }
}

public sealed record OutboxBacklog(int Pending, DateTimeOffset? OldestCreatedAt);

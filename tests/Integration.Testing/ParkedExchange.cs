using Integration.Testing;
using RabbitMQ.Client;

namespace Integration.Testing;

/// <summary>
/// Takes one of the hub's queues out of the traffic without touching the hub: MassTransit sends to the fanout exchange
/// of the queue's name (e.g. <c>municipality.{code}</c>), bound to the queue that the hub consumes. The exchange is bound
/// to a parking queue instead, so the messages sent to the queue pile up in the broker with nobody consuming them,
/// exactly as behind a stopped consumer, while the hub keeps its connection and every other queue. Afterwards the
/// binding is restored and the parked messages are moved to the queue, which the hub then works off.
/// </summary>
public sealed class ParkedExchange : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _exchange;
    private readonly string _parking;

    private ParkedExchange(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        _exchange = queue;
        _parking = $"parked.{queue}";
    }

    /// <summary>Parks what is sent to <paramref name="queue"/> (its exchange has the same name) until <see cref="ResumeAsync"/>,
    /// once the hub consumes the queue (before that, its exchange and binding may not exist yet).</summary>
    public static async Task<ParkedExchange> ParkAsync(RabbitMqServer rabbit, string queue)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        var connection = await rabbit.CreateConnectionFactory().CreateConnectionAsync("parked-queue");
        await WaitForConsumerAsync(connection, queue, TimeSpan.FromSeconds(60));
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var stopped = new ParkedExchange(connection, channel, queue);
        await channel.QueueDeclareAsync(stopped._parking, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(stopped._parking, stopped._exchange, routingKey: string.Empty);
        await channel.QueueUnbindAsync(stopped._exchange, stopped._exchange, routingKey: string.Empty);
        return stopped;
    }

    private static async Task WaitForConsumerAsync(IConnection connection, string queue, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // A passive declare of a missing queue closes the channel: one channel per look.
                await using var look = await connection.CreateChannelAsync();
                if ((await look.QueueDeclarePassiveAsync(queue)).ConsumerCount > 0)
                {
                    return;
                }
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException) when (DateTime.UtcNow < deadline)
            {
                // not declared yet
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Nobody consumes {queue} after {timeout.TotalSeconds:0} s.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Messages parked so far.</summary>
    public async Task<uint> BacklogAsync() => (await _channel.QueueDeclarePassiveAsync(_parking)).MessageCount;

    /// <summary>Restores the binding and hands the parked messages to the queue. Returns their bodies (MassTransit's JSON
    /// envelopes), in the order they were parked.</summary>
    public async Task<IReadOnlyList<string>> ResumeAsync()
    {
        await _channel.QueueBindAsync(_exchange, _exchange, routingKey: string.Empty);
        await _channel.QueueUnbindAsync(_parking, _exchange, routingKey: string.Empty);
        var moved = new List<string>();
        while (await _channel.BasicGetAsync(_parking, autoAck: false) is { } parked)
        {
            await _channel.BasicPublishAsync(string.Empty, _exchange, mandatory: true, new BasicProperties(parked.BasicProperties), parked.Body);
            await _channel.BasicAckAsync(parked.DeliveryTag, multiple: false);
            moved.Add(System.Text.Encoding.UTF8.GetString(parked.Body.Span));
        }

        await _channel.QueueDeleteAsync(_parking);
        return moved;
    }

    /// <summary>Closes the connection; it does not resume (call <see cref="ResumeAsync"/> first).</summary>
    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

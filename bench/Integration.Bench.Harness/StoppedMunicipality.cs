using Integration.Testing;
using RabbitMQ.Client;

namespace Integration.Bench.Harness;

/// <summary>
/// Takes one municipality's consumer out of the traffic without touching the hub: MassTransit sends to the fanout
/// exchange <c>municipality.{code}</c>, bound to the queue of the same name that the hub consumes. The exchange is bound
/// to a parking queue instead, so the municipality's messages pile up in the broker with nobody consuming them, exactly
/// as behind a stopped consumer, while the hub keeps its connection and every other queue. Afterwards the binding is
/// restored and the parked messages are moved to the municipality's queue, which the hub then works off.
/// </summary>
internal sealed class StoppedMunicipality : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _exchange;
    private readonly string _parking;

    private StoppedMunicipality(IConnection connection, IChannel channel, string code)
    {
        _connection = connection;
        _channel = channel;
        _exchange = $"municipality.{code}";
        _parking = $"bench.stopped.{code}";
    }

    public static async Task<StoppedMunicipality> StopAsync(RabbitMqServer rabbit, string code)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        var connection = await rabbit.CreateConnectionFactory().CreateConnectionAsync("bench-stopped-municipality");
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var stopped = new StoppedMunicipality(connection, channel, code);
        await channel.QueueDeclareAsync(stopped._parking, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(stopped._parking, stopped._exchange, routingKey: string.Empty);
        await channel.QueueUnbindAsync(stopped._exchange, stopped._exchange, routingKey: string.Empty);
        return stopped;
    }

    /// <summary>Messages waiting for the stopped municipality.</summary>
    public async Task<uint> BacklogAsync() => (await _channel.QueueDeclarePassiveAsync(_parking)).MessageCount;

    /// <summary>Restores the binding and hands the parked messages to the municipality's queue. Returns how many.</summary>
    public async Task<int> ResumeAsync()
    {
        await _channel.QueueBindAsync(_exchange, _exchange, routingKey: string.Empty);
        await _channel.QueueUnbindAsync(_parking, _exchange, routingKey: string.Empty);
        var moved = 0;
        while (await _channel.BasicGetAsync(_parking, autoAck: false) is { } parked)
        {
            await _channel.BasicPublishAsync(string.Empty, _exchange, mandatory: true, new BasicProperties(parked.BasicProperties), parked.Body);
            await _channel.BasicAckAsync(parked.DeliveryTag, multiple: false);
            moved++;
        }

        await _channel.QueueDeleteAsync(_parking);
        return moved;
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}

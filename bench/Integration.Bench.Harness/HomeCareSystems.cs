using Integration.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;

namespace Integration.Bench.Harness;

/// <summary>
/// The municipalities' home-care systems: every notification makes a home-care alert on <c>homecare.{code}</c>, and
/// without a reader those queues would grow through the whole run and inflate the broker's memory. Each queue is read
/// (auto-ack) as soon as the hub has created it.
/// </summary>
internal sealed class HomeCareSystems : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly HashSet<string> _reading = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _alerts;

    private HomeCareSystems(IConnection connection, IReadOnlyList<string> codes)
    {
        _connection = connection;
        _loop = Task.Run(() => AttachAsync(codes));
    }

    public long Alerts => Interlocked.Read(ref _alerts);

    public static async Task<HomeCareSystems> StartAsync(RabbitMqServer rabbit, IReadOnlyList<string> codes)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        return new HomeCareSystems(await rabbit.CreateConnectionFactory().CreateConnectionAsync("bench-homecare"), codes);
    }

    private async Task AttachAsync(IReadOnlyList<string> codes)
    {
        while (!_stop.IsCancellationRequested && _reading.Count < codes.Count)
        {
            foreach (var queue in codes.Select(c => $"homecare.{c}").Where(q => !_reading.Contains(q)))
            {
                // A passive declare of a missing queue closes its channel: one channel per attempt.
                var channel = await _connection.CreateChannelAsync();
                try
                {
                    await channel.QueueDeclarePassiveAsync(queue);
                    var consumer = new AsyncEventingBasicConsumer(channel);
                    consumer.ReceivedAsync += (_, _) =>
                    {
                        Interlocked.Increment(ref _alerts);
                        return Task.CompletedTask;
                    };
                    await channel.BasicConsumeAsync(queue, autoAck: true, consumer);
                    _reading.Add(queue);
                }
                catch (OperationInterruptedException)
                {
                    await channel.DisposeAsync(); // not created yet
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        await _connection.DisposeAsync();
        _stop.Dispose();
    }
}

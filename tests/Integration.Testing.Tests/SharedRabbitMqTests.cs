using System.Net.Http.Headers;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Xunit;
using Xunit.Abstractions;

namespace Integration.Testing.Tests;

/// <summary>The assembly-wide broker really accepts, confirms and delivers messages.</summary>
public sealed class SharedRabbitMqTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RabbitMqServer _rabbit = null!;

    public async Task InitializeAsync()
    {
        _rabbit = await SharedServers.RabbitMqAsync();
        output.WriteLine($"{_rabbit.Description}; started in {_rabbit.StartupTime.TotalSeconds:0.0} s");
    }

    // Shared: the process-exit hook stops it, not the test class.
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Published_message_is_confirmed_and_consumed()
    {
        await using var connection = await _rabbit.CreateConnectionFactory().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        // Unique name: other test classes use the same broker at the same time.
        var queue = $"selftest-{Guid.NewGuid():N}";
        await channel.QueueDeclareAsync(queue, durable: false, exclusive: false, autoDelete: true);

        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            received.TrySetResult(Encoding.UTF8.GetString(delivery.Body.Span));
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);

        // With confirmation tracking on, this returns only once the broker has confirmed (throws on a nack).
        await channel.BasicPublishAsync(exchange: string.Empty, routingKey: queue, mandatory: true,
            basicProperties: new BasicProperties { Persistent = true }, body: "hello from the self-test"u8.ToArray());

        var body = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("hello from the self-test", body);
    }

    [Fact]
    public async Task Management_api_answers()
    {
        // External brokers (HUB_TEST_RABBITMQ_URL) do not tell us a management port; every broker we start does.
        if (_rabbit.ManagementPort is not { } port)
        {
            output.WriteLine("No management port known (external broker): nothing to check.");
            return;
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_rabbit.Username}:{_rabbit.Password}")));
        var overview = await http.GetStringAsync(new Uri($"http://{_rabbit.Host}:{port}/api/overview"));
        Assert.Contains("rabbitmq_version", overview, StringComparison.Ordinal);
    }
}

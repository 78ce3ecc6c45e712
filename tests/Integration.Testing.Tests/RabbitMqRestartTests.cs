using System.Diagnostics;
using System.Text;
using RabbitMQ.Client;
using Xunit;
using Xunit.Abstractions;

namespace Integration.Testing.Tests;

/// <summary>A broker of its own (class fixture), because this class restarts it.</summary>
public sealed class RabbitMqRestartTests(RabbitMqServer rabbit, ITestOutputHelper output) : IClassFixture<RabbitMqServer>
{
    [Fact]
    public async Task Durable_queue_and_persistent_message_survive_a_restart()
    {
        output.WriteLine($"{rabbit.Description}; started in {rabbit.StartupTime.TotalSeconds:0.0} s");
        const string queue = "selftest-durable";
        var portBefore = rabbit.AmqpPort;

        await using (var connection = await rabbit.CreateConnectionFactory().CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
                         publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)))
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            // Confirmed + persistent + durable queue: the broker has it on disk when the publish returns.
            await channel.BasicPublishAsync(exchange: string.Empty, routingKey: queue, mandatory: true,
                basicProperties: new BasicProperties { Persistent = true }, body: "must survive"u8.ToArray());
        }

        Assert.Equal(1u, await rabbit.QueueMessageCountAsync(queue));

        var stopwatch = Stopwatch.StartNew();
        await rabbit.RestartAsync();
        output.WriteLine($"Restart took {stopwatch.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(1u, await rabbit.QueueMessageCountAsync(queue));
        if (rabbit.Description.StartsWith("local", StringComparison.Ordinal))
        {
            // The local node keeps its ports, so clients configured before the restart can reconnect.
            Assert.Equal(portBefore, rabbit.AmqpPort);
        }

        await using var after = await rabbit.CreateConnectionFactory().CreateConnectionAsync();
        await using var afterChannel = await after.CreateChannelAsync();
        var message = await afterChannel.BasicGetAsync(queue, autoAck: true);
        Assert.NotNull(message);
        Assert.Equal("must survive", Encoding.UTF8.GetString(message.Body.Span));
    }
}

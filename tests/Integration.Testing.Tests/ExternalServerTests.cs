using Integration.Testing.Internal;
using Xunit;

namespace Integration.Testing.Tests;

/// <summary>HUB_TEST_RABBITMQ_URL is read the way AMQP URLs are meant (escaping, default port, vhost).</summary>
public sealed class ExternalServerTests
{
    [Fact]
    public void Amqp_url_is_parsed_with_escapes_and_vhost()
    {
        var broker = new ExternalRabbitMq(new Uri("amqp://hub%40user:p%3Ass@broker.example:5673/hub"));
        Assert.Equal("broker.example", broker.Host);
        Assert.Equal(5673, broker.AmqpPort);
        Assert.Equal("hub@user", broker.Username);
        Assert.Equal("p:ss", broker.Password);
        Assert.Equal("hub", broker.VirtualHost);
        Assert.Null(broker.ManagementPort);
    }

    [Fact]
    public void Amqp_url_without_port_uses_5672_and_default_vhost()
    {
        var broker = new ExternalRabbitMq(new Uri("amqp://guest:guest@localhost/"));
        Assert.Equal(5672, broker.AmqpPort);
        Assert.Equal("/", broker.VirtualHost);
    }

    [Fact]
    public async Task External_broker_cannot_be_restarted()
    {
        var broker = new ExternalRabbitMq(new Uri("amqp://guest:guest@localhost/"));
        await Assert.ThrowsAsync<NotSupportedException>(() => broker.RestartAsync(CancellationToken.None));
    }
}

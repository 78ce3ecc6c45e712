using Integration.Messaging;
using Integration.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Integration.Monitoring.Broker;

/// <summary>Puts the broker status together from the transport the hub runs on.</summary>
public sealed class BrokerFigures(
    MessagingOptions messaging, IHttpClientFactory httpClients, HealthCheckService health, IDbContextFactory<HubDbContext> dbFactory)
{
    /// <param name="municipality">The caller's scope: only queues municipality.{code} and homecare.{code} (and their
    /// error queues); null for all.</param>
    public async Task<BrokerStatus> ReadAsync(string? municipality, CancellationToken cancellationToken)
    {
        var bus = await health.CheckHealthAsync(c => c.Tags.Contains("masstransit"), cancellationToken);
        var (pending, oldest) = await OutboxAsync(cancellationToken);
        var visible = pending.Where(p => MaySee(municipality, p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var outbox = new OutboxBacklog(visible.Values.Sum(), municipality is null ? oldest : null);
        var busHealth = bus.Status.ToString();
        if (messaging.Transport == TransportKind.InMemory)
        {
            return new BrokerStatus
            {
                Source = BrokerStatus.InMemoryBus,
                Healthy = bus.Status == HealthStatus.Healthy,
                BusHealth = busHealth,
                Queues = [.. visible.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new QueueFigures { Name = p.Key, OutboxPending = p.Value })],
                Outbox = outbox,
            };
        }

        try
        {
            var client = new RabbitMqManagementClient(httpClients.CreateClient(RabbitMqManagementClient.HttpClientName), messaging);
            var (totals, queues) = await client.ReadAsync(visible, cancellationToken);
            return new BrokerStatus
            {
                Source = BrokerStatus.RabbitMqManagement,
                Healthy = bus.Status == HealthStatus.Healthy,
                BusHealth = busHealth,
                // Broker-wide totals would tell a municipality about the others' traffic.
                Broker = municipality is null ? totals : null,
                Queues = [.. queues.Where(q => MaySee(municipality, q.Name))],
                Outbox = outbox,
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return new BrokerStatus
            {
                Source = BrokerStatus.RabbitMqManagement,
                Healthy = false,
                BusHealth = busHealth,
                Error = $"the management API at {RabbitMqManagementClient.ManagementUri(messaging.RabbitMq)} did not answer: {ex.Message}",
                Queues = [.. visible.Select(p => new QueueFigures { Name = p.Key, OutboxPending = p.Value })],
                Outbox = outbox,
            };
        }
    }

    private static bool MaySee(string? municipality, string queue) =>
        municipality is null
        || OwnQueue(queue, QueueNames.Municipality(municipality))
        || OwnQueue(queue, QueueNames.HomeCare(municipality));

    /// <summary>The queue itself or one of MassTransit's companions (queue_error, queue_skipped).</summary>
    private static bool OwnQueue(string queue, string own) =>
        queue == own || (queue.StartsWith(own, StringComparison.Ordinal) && queue.Length > own.Length && queue[own.Length] == '_');

    private async Task<(Dictionary<string, int> Pending, DateTimeOffset? Oldest)> OutboxAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Every row in the outbox is still to be sent: sent rows are removed (ADR 0024).
        var pending = await db.Outbox.AsNoTracking()
            .GroupBy(o => o.Destination).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, StringComparer.Ordinal, cancellationToken);
        var oldest = await db.Outbox.AsNoTracking().OrderBy(o => o.Id)
            .Select(o => (DateTimeOffset?)o.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        return (pending, oldest);
    }
}

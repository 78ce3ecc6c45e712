using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Integration.Messaging;

namespace Integration.Monitoring.Broker;

/// <summary>Reads /api/overview and /api/queues/{vhost} from RabbitMQ's management HTTP API.</summary>
public sealed class RabbitMqManagementClient(HttpClient http, MessagingOptions messaging)
{
    public const string HttpClientName = "rabbitmq-management";

    public async Task<(BrokerTotals Totals, IReadOnlyList<QueueFigures> Queues)> ReadAsync(IReadOnlyDictionary<string, int> outboxPending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outboxPending);
        var rabbit = messaging.RabbitMq;
        var baseUri = ManagementUri(rabbit);
        using var overview = await GetAsync(new Uri(baseUri, "api/overview"), rabbit, cancellationToken);
        var vhost = Uri.EscapeDataString(rabbit.VirtualHost);
        using var queues = await GetAsync(new Uri(baseUri, $"api/queues/{vhost}"), rabbit, cancellationToken);

        var root = overview.RootElement;
        var totals = new BrokerTotals
        {
            Version = String(root, "rabbitmq_version"),
            Node = String(root, "node"),
            MessagesReady = Number(root, "queue_totals", "messages_ready"),
            MessagesUnacked = Number(root, "queue_totals", "messages_unacknowledged"),
            PublishRate = Rate(root, "publish_details"),
            DeliverRate = Rate(root, "deliver_get_details"),
            Connections = (int)Number(root, "object_totals", "connections"),
            Consumers = (int)Number(root, "object_totals", "consumers"),
        };
        var list = queues.RootElement.EnumerateArray().Select(q =>
        {
            var name = String(q, "name") ?? string.Empty;
            return new QueueFigures
            {
                Name = name,
                Ready = Number(q, "messages_ready"),
                Unacked = Number(q, "messages_unacknowledged"),
                Consumers = (int)Number(q, "consumers"),
                PublishRate = Rate(q, "publish_details"),
                DeliverRate = Rate(q, "deliver_get_details"),
                State = String(q, "state"),
                OutboxPending = outboxPending.GetValueOrDefault(name),
            };
        }).OrderBy(q => q.Name, StringComparer.Ordinal).ToList();
        return (totals, list);
    }

    /// <summary>Messaging:RabbitMq:ManagementUrl, or the broker's host on the management port (default 15672).</summary>
    public static Uri ManagementUri(RabbitMqOptions rabbit)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        var url = rabbit.ManagementUrl ?? $"http://{rabbit.Host}:{rabbit.ManagementPort ?? 15672}/";
        return new Uri(url.EndsWith('/') ? url : url + "/");
    }

    private async Task<JsonDocument> GetAsync(Uri uri, RabbitMqOptions rabbit, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        var credentials = $"{rabbit.ManagementUsername ?? rabbit.Username}:{rabbit.ManagementPassword ?? rabbit.Password}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long Number(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return 0;
            }
        }

        return element.ValueKind == JsonValueKind.Number ? element.GetInt64() : 0;
    }

    /// <summary>message_stats.{kind}.rate; RabbitMQ leaves message_stats out until something happened on the queue.</summary>
    private static double Rate(JsonElement element, string kind) =>
        element.TryGetProperty("message_stats", out var stats) && stats.TryGetProperty(kind, out var details)
            && details.TryGetProperty("rate", out var rate) && rate.ValueKind == JsonValueKind.Number
            ? rate.GetDouble() : 0;
}

using System.Text.Json.Nodes;
using Integration.Partners;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client.Exceptions;

namespace Integration.EndToEnd.Tests.Conformance;

/// <summary>
/// What a partner has received from the hub, read where the partner would read it: the test's HTTP endpoint for the
/// partners switched to HTTP, else the partner's own queue, which is only peeked (nothing is taken off it).
/// </summary>
public sealed class PartnerMailbox(HubFixture hub)
{
    // A peek holds the queue's messages unacknowledged until its channel closes: two at once would hide them from each other.
    private readonly SemaphoreSlim _peeking = new(1, 1);

    /// <summary>Bundle.ids of the acknowledgements answering <paramref name="messageHeaderId"/> that reached <paramref name="partnerId"/>.</summary>
    public async Task<IReadOnlyList<string>> AcknowledgementBundleIdsAsync(string partnerId, string messageHeaderId)
    {
        if (RunningHub.HttpPartners.Contains(partnerId))
        {
            return [.. hub.Hospital.AcknowledgementsFor(messageHeaderId).Select(b => (string?)b["id"] ?? "")];
        }

        var partner = hub.Hub.Services.GetRequiredService<IPartnerRegistry>().FindById(partnerId);
        var queue = partner?.DeliveryQueue ?? $"partner.{partnerId}";
        var found = new List<string>();
        await _peeking.WaitAsync();
        try
        {
            await using var connection = await hub.Rabbit.CreateConnectionFactory().CreateConnectionAsync();
            if (!await ExistsAsync(connection, queue))
            {
                return found;
            }

            await using var channel = await connection.CreateChannelAsync();
            while (await channel.BasicGetAsync(queue, autoAck: false) is { } delivery)
            {
                // MassTransit's envelope around the hub's PartnerMessage.
                var message = JsonNode.Parse(delivery.Body.Span)?["message"];
                if ((string?)message?["messageType"] != "acknowledgement-message" || (string?)message["fhirJson"] is not { } fhirJson)
                {
                    continue;
                }

                var acknowledgement = JsonNode.Parse(fhirJson)!;
                if ((string?)acknowledgement["entry"]?[0]?["resource"]?["response"]?["identifier"] == messageHeaderId)
                {
                    found.Add((string?)acknowledgement["id"] ?? "");
                }
            }

            // Closing the channel without acknowledging anything puts every message back on the queue.
            return found;
        }
        finally
        {
            _peeking.Release();
        }
    }

    private static async Task<bool> ExistsAsync(RabbitMQ.Client.IConnection connection, string queue)
    {
        // A passive declare of a missing queue closes its channel, so it gets a channel of its own.
        await using var channel = await connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclarePassiveAsync(queue);
            return true;
        }
        catch (OperationInterruptedException)
        {
            return false;
        }
    }
}

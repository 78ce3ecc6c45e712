using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests.Robustness;

/// <summary>What the hub answered to one POST. <see cref="Status"/> is 0 when the request failed without an answer.</summary>
public sealed record PostAnswer(int Status, string? MediaType, string Body, string? TransportError = null)
{
    /// <summary>The MessageHeader.id a 202 names in its Location header (/api/messages/{id}).</summary>
    public string? AcceptedMessageHeaderId { get; init; }

    /// <summary>The resourceType of a JSON answer body, if it is one.</summary>
    public string? ResourceType
    {
        get
        {
            try
            {
                return JsonNode.Parse(Body)?["resourceType"]?.GetValue<string>();
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }
}

/// <summary>Raw HTTP against the hub: any bytes with any (or no) Content-Type, and traces read in bulk.</summary>
public static class HubProbe
{
    public static async Task<PostAnswer> PostAsync(HttpClient http, ReadOnlyMemory<byte> body, string? contentType)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/fhir/$process-message", UriKind.Relative))
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        if (contentType is not null)
        {
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        try
        {
            using var response = await http.SendAsync(request);
            var location = response.Headers.Location?.ToString();
            const string prefix = "/api/messages/";
            return new PostAnswer((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync())
            {
                AcceptedMessageHeaderId = location?.StartsWith(prefix, StringComparison.Ordinal) == true ? Uri.UnescapeDataString(location[prefix.Length..]) : null,
            };
        }
        catch (HttpRequestException ex)
        {
            return new PostAnswer(0, null, string.Empty, $"{ex.GetType().Name} ({ex.HttpRequestError}): {ex.InnerException?.Message ?? ex.Message}");
        }
    }

    /// <summary>
    /// Reads the traces of <paramref name="messageHeaderIds"/> until each has an acknowledgement that was delivered or
    /// failed delivery, or until <paramref name="timeout"/>. Returns the last trace read for each (null: never found).
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, JsonNode?>> AwaitAcknowledgementsAsync(
        HttpClient http, IReadOnlyCollection<string> messageHeaderIds, TimeSpan timeout)
    {
        var last = new ConcurrentDictionary<string, JsonNode?>(messageHeaderIds.Select(id => KeyValuePair.Create(id, (JsonNode?)null)));
        var pending = messageHeaderIds.ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, _) =>
                last[id] = await TraceAsync(http, id));
            pending = [.. pending.Where(id => !AcknowledgementSettled(last[id]))];
            if (pending.Count > 0)
            {
                await Task.Delay(250);
            }
        }

        return last;
    }

    public static async Task<JsonNode?> TraceAsync(HttpClient http, string messageHeaderId)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var response = await http.GetAsync(new Uri($"/api/messages/{Uri.EscapeDataString(messageHeaderId)}", UriKind.Relative));
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    private static bool AcknowledgementSettled(JsonNode? trace) =>
        trace?["acknowledgement"] is JsonObject ack
        && (ack["delivered"]?.GetValue<bool>() == true || ack["lastDeliveryError"] is not null);
}

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests;

/// <summary>What a hospital system does with the hub's HTTP API: post a message, read its trace.</summary>
public static class HubHttp
{
    public static async Task<HttpResponseMessage> PostMessageAsync(this HttpClient http, string body, string contentType = "application/fhir+json")
    {
        ArgumentNullException.ThrowIfNull(http);
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await http.PostAsync(new Uri("/fhir/$process-message", UriKind.Relative), content);
    }

    /// <summary>Reads the trace until <paramref name="done"/> holds (the flow is asynchronous), or fails after a while.</summary>
    public static async Task<JsonNode> WaitForTraceAsync(this HttpClient http, string messageHeaderId, Func<JsonNode, bool> done, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await http.GetAsync(new Uri($"/api/messages/{messageHeaderId}", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                last = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                if (done(last))
                {
                    return last;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Message {messageHeaderId} did not reach the expected state; last trace: {last?.ToJsonString() ?? "none"}");
    }

    /// <summary>Waits until the message's acknowledgement has been delivered.</summary>
    public static Task<JsonNode> WaitForDeliveredAckAsync(this HttpClient http, string messageHeaderId, TimeSpan? timeout = null) =>
        http.WaitForTraceAsync(messageHeaderId, t => t["acknowledgement"]?["delivered"]?.GetValue<bool>() == true, timeout);
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// A hospital system's HTTP endpoint, as a real Kestrel server on loopback: it receives the hub's acknowledgements
/// and can be told to fail, to exercise the hub's retries.
/// </summary>
public sealed class HospitalEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresToServe;

    private HospitalEndpoint(WebApplication app) => _app = app;

    public ConcurrentQueue<JsonNode> Received { get; } = new();

    private int _failedRequests;

    /// <summary>How many requests this endpoint has failed on purpose.</summary>
    public int FailedRequests => Volatile.Read(ref _failedRequests);

    public Uri Url { get; private set; } = null!;

    public static async Task<HospitalEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var endpoint = new HospitalEndpoint(app);
        app.MapPost("/fhir/acknowledgements", async (HttpContext http) =>
        {
            if (Interlocked.Decrement(ref endpoint._failuresToServe) >= 0)
            {
                Interlocked.Increment(ref endpoint._failedRequests);
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            using var reader = new StreamReader(http.Request.Body);
            endpoint.Received.Enqueue(JsonNode.Parse(await reader.ReadToEndAsync())!);
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.Url = new Uri(new Uri(address), "/fhir/acknowledgements");
        return endpoint;
    }

    /// <summary>The next <paramref name="count"/> requests get 503.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresToServe, count);

    /// <summary>Acknowledgements received for one message (MessageHeader.response.identifier).</summary>
    public IReadOnlyList<JsonNode> AcknowledgementsFor(string messageHeaderId) =>
        [.. Received.Where(b => (string?)b["entry"]?[0]?["resource"]?["response"]?["identifier"] == messageHeaderId)];

    /// <summary>Messages other than acknowledgements received with this MessageHeader.id (each sending once).</summary>
    public IReadOnlyList<JsonNode> MessagesWithHeader(string messageHeaderId) =>
        [.. Received.Where(b => (string?)b["entry"]?[0]?["resource"]?["id"] == messageHeaderId)];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

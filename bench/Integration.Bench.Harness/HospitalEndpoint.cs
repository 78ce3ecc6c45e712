using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Integration.Bench.Harness;

/// <summary>
/// The simulated hospitals' HTTP endpoint (Kestrel on loopback): the hub POSTs each acknowledgement here, and the latency
/// of a message is taken when its acknowledgement arrives (MessageHeader.response.identifier → the time it was posted).
/// </summary>
internal sealed class HospitalEndpoint : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private int _unmatched;

    private HospitalEndpoint(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Acknowledgements for messages the bench did not post or already saw acknowledged (duplicates).</summary>
    public int Unmatched => Volatile.Read(ref _unmatched);

    /// <summary>Messages posted whose acknowledgement has not arrived.</summary>
    public int Outstanding => _pending.Count;

    public Uri AcknowledgementUrl(string hospitalId) => new(BaseAddress, $"/hospitals/{hospitalId}/acknowledgements");

    public static async Task<HospitalEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new HospitalEndpoint(app);
        app.MapPost("/hospitals/{hospitalId}/acknowledgements", async (HttpContext http) =>
        {
            var arrivedAt = Stopwatch.GetTimestamp();
            using var document = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            endpoint.Arrived(document.RootElement, arrivedAt);
            return Results.Ok();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.BaseAddress = new Uri(address);
        return endpoint;
    }

    /// <summary>Call right before posting: the acknowledgement can arrive before the POST returns.</summary>
    public void Expect(string messageHeaderId, string group, LatencyRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        var now = Stopwatch.GetTimestamp();
        _pending[messageHeaderId] = new Pending(now, group, recorder);
        recorder.Posted(group, now);
    }

    /// <summary>The post failed: no acknowledgement will come.</summary>
    public void Forget(string messageHeaderId) => _pending.TryRemove(messageHeaderId, out _);

    private void Arrived(JsonElement bundle, long arrivedAt)
    {
        var header = bundle.GetProperty("entry")[0].GetProperty("resource");
        var response = header.GetProperty("response");
        var respondsTo = response.GetProperty("identifier").GetString()!;
        if (_pending.TryRemove(respondsTo, out var pending))
        {
            pending.Recorder.Acknowledgement(pending.Group, pending.PostedAt, arrivedAt, response.GetProperty("code").GetString() == "ok");
        }
        else
        {
            Interlocked.Increment(ref _unmatched);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record Pending(long PostedAt, string Group, LatencyRecorder Recorder);
}

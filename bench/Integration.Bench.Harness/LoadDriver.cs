using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Integration.Bench.Harness;

/// <summary>
/// The simulated hospitals posting to the hub's <c>POST /fhir/$process-message</c>: either as fast as the hub takes them
/// with a bounded number of messages awaiting their acknowledgement (closed loop: throughput), or at a fixed rate
/// whatever the hub does (open loop: latency under a given load).
/// </summary>
/// <param name="routingInHeaders">Also send the MessageHeader.id and the municipality in request headers, for the skeleton hub,
/// which reads no FHIR.</param>
internal sealed class LoadDriver(HttpClient hub, HospitalEndpoint hospitals, bool routingInHeaders = false)
{
    private static readonly Uri ProcessMessage = new("/fhir/$process-message", UriKind.Relative);
    private static readonly MediaTypeHeaderValue FhirJson = new("application/fhir+json");
    private int _failedPosts;

    /// <summary>Posts that did not get 202 Accepted (a healthy run has none).</summary>
    public int FailedPosts => Volatile.Read(ref _failedPosts);

    /// <summary>
    /// Posts <paramref name="count"/> messages keeping at most <paramref name="window"/> without an acknowledgement, then
    /// waits for the rest. False when acknowledgements stopped coming for <paramref name="stall"/>.
    /// </summary>
    public async Task<bool> RunClosedLoopAsync(
        TrafficPlan plan, long count, int window, Func<BenchMessage, string> group, LatencyRecorder recorder, TimeSpan stall, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(recorder);
        using var slots = new SemaphoreSlim(window);
        recorder.AcknowledgementArrived = () => slots.Release();
        long next = -1;
        var posted = 0L;
        // One poster per slot: since ingress validates and routes before its 202 (ADR 0011) a POST takes longer, and a
        // fixed 32 posters, not the hub, became the limit of the closed loop.
        var posters = Enumerable.Range(0, window).Select(_ => Task.Run(async () =>
        {
            long k;
            while ((k = Interlocked.Increment(ref next)) < count)
            {
                if (!await slots.WaitAsync(stall))
                {
                    return; // stalled: the wait below reports it
                }

                var message = plan.Message(k);
                if (await PostAsync(message, group(message), recorder))
                {
                    var total = Interlocked.Increment(ref posted);
                    if (total % 10_000 == 0)
                    {
                        progress?.Invoke(total);
                    }
                }
                else
                {
                    slots.Release();
                }
            }
        })).ToList();
        await Task.WhenAll(posters);
        var complete = await WaitForAcknowledgementsAsync(recorder, Interlocked.Read(ref posted), stall);
        recorder.AcknowledgementArrived = null;
        return complete;
    }

    /// <summary>Posts at <paramref name="perSecond"/> for <paramref name="duration"/>, then waits for the acknowledgements.</summary>
    public async Task<bool> RunFixedRateAsync(
        TrafficPlan plan, double perSecond, TimeSpan duration, Func<BenchMessage, string> group, LatencyRecorder recorder, TimeSpan stall)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var count = (long)(perSecond * duration.TotalSeconds);
        var posts = new List<Task<bool>>((int)count);
        var start = Stopwatch.GetTimestamp();
        for (long k = 0; k < count; k++)
        {
            var due = TimeSpan.FromSeconds(k / perSecond) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due);
            }

            var message = plan.Message(k);
            posts.Add(PostAsync(message, group(message), recorder));
        }

        var accepted = (await Task.WhenAll(posts)).Count(ok => ok);
        return await WaitForAcknowledgementsAsync(recorder, accepted, stall);
    }

    /// <summary>
    /// Posts all <paramref name="count"/> messages as fast as the hub accepts them (32 posts at a time), without waiting
    /// for acknowledgements: a burst. Returns how many were accepted per group.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> PostBurstAsync(TrafficPlan plan, long count, Func<BenchMessage, string> group, LatencyRecorder recorder)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(group);
        var accepted = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        long next = -1;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            long k;
            while ((k = Interlocked.Increment(ref next)) < count)
            {
                var message = plan.Message(k);
                var name = group(message);
                if (await PostAsync(message, name, recorder))
                {
                    accepted.AddOrUpdate(name, 1, (_, n) => n + 1);
                }
            }
        })));
        return accepted;
    }

    private async Task<bool> PostAsync(BenchMessage message, string group, LatencyRecorder recorder)
    {
        hospitals.Expect(message.MessageHeaderId, group, recorder);
        try
        {
            using var content = new ByteArrayContent(message.Body);
            content.Headers.ContentType = FhirJson;
            if (routingInHeaders)
            {
                content.Headers.Add(SkeletonHub.MessageIdHeader, message.MessageHeaderId);
                content.Headers.Add(SkeletonHub.MunicipalityHeader, message.MunicipalityCode);
            }

            using var response = await hub.PostAsync(ProcessMessage, content);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return true;
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // refused, or no answer within the client's timeout: counted below
        }

        hospitals.Forget(message.MessageHeaderId);
        Interlocked.Increment(ref _failedPosts);
        return false;
    }

    /// <summary>Waits until <paramref name="expected"/> acknowledgements arrived; false when none came for <paramref name="stall"/>.</summary>
    public static async Task<bool> WaitForAcknowledgementsAsync(LatencyRecorder recorder, long expected, TimeSpan stall)
    {
        var seen = recorder.Acknowledged;
        var lastProgress = Stopwatch.GetTimestamp();
        while (recorder.Acknowledged < expected)
        {
            await Task.Delay(50);
            if (recorder.Acknowledged != seen)
            {
                seen = recorder.Acknowledged;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > stall)
            {
                return false;
            }
        }

        return true;
    }
}

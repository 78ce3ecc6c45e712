using System.Collections.Concurrent;
using System.Diagnostics;
using Integration.Testing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Integration.Bench.Harness;

/// <summary>
/// What the broker alone does with the same payloads on the same machine: RabbitMQ.Client 7 publishing persistent
/// messages to a durable queue with publisher confirms (a publish completes when the broker has the message), and a
/// consumer with manual acknowledgement and the hub's prefetch (32). One hop, no database: the ceiling the hub's
/// throughput is compared with.
/// </summary>
internal static class RawBaseline
{
    private const string Queue = "bench.baseline";
    private const ushort Prefetch = 32;

    public static async Task<LatencyRecorder> RunAsync(RabbitMqServer rabbit, TrafficPlan plan, int count, int inFlight)
    {
        var recorder = new LatencyRecorder();
        var published = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var consumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = 0;

        await using var consumerConnection = await rabbit.CreateConnectionFactory().CreateConnectionAsync("bench-baseline-consumer");
        await using var consumerChannel = await consumerConnection.CreateChannelAsync();
        await consumerChannel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false);
        await consumerChannel.QueuePurgeAsync(Queue);
        await consumerChannel.BasicQosAsync(0, Prefetch, global: false);
        var consumer = new AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var arrivedAt = Stopwatch.GetTimestamp();
            await consumerChannel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
            if (published.TryRemove(delivery.BasicProperties.MessageId!, out var postedAt))
            {
                recorder.Acknowledgement("baseline", postedAt, arrivedAt, ok: true);
            }

            if (Interlocked.Increment(ref received) == count)
            {
                consumed.TrySetResult();
            }
        };
        await consumerChannel.BasicConsumeAsync(Queue, autoAck: false, consumer);

        await using var publisherConnection = await rabbit.CreateConnectionFactory().CreateConnectionAsync("bench-baseline-publisher");
        await using var publisher = await publisherConnection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        long next = -1;
        var publishers = Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            long k;
            while ((k = Interlocked.Increment(ref next)) < count)
            {
                var message = plan.Message(k);
                var now = Stopwatch.GetTimestamp();
                published[message.MessageHeaderId] = now;
                recorder.Posted("baseline", now);
                // With confirmation tracking on, this completes when the broker has confirmed the message.
                await publisher.BasicPublishAsync(string.Empty, Queue, mandatory: true,
                    new BasicProperties { Persistent = true, MessageId = message.MessageHeaderId, ContentType = "application/fhir+json" }, message.Body);
            }
        })).ToList();
        await Task.WhenAll(publishers);
        await consumed.Task.WaitAsync(TimeSpan.FromMinutes(5));
        await consumerChannel.QueueDeleteAsync(Queue);
        return recorder;
    }
}

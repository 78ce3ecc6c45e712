using System.Text;
using Integration.Persistence;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Integration.Bench.Harness;

/// <summary>
/// A stripped-down hub of the hub's design, as its own process on the same broker and database: the same HTTP exchanges
/// and broker hop per message and a write to PostgreSQL on each side of the hop, without the work MedCom and the
/// durability rules ask for; a reference the hub is unlikely to beat on the same machine. It takes the POST, stores the
/// body with one INSERT before its 202 (compressed with LZ4, as the hub stores bodies: ADR 0022), sends a small command
/// to the receiving municipality's durable RabbitMQ queue (one per municipality, as the hub has; publisher confirms,
/// manual ack, prefetch 32 and 32 handled at a time per queue), marks the message processed with one UPDATE and POSTs a
/// small acknowledgement to the hospital. The INSERTs, and the UPDATEs, go through the hub's own group commit (ADR 0012).
/// No FHIR (the MessageHeader.id and the municipality come in request headers, nothing is validated), no EF Core, no
/// history, outbox, inbox, stay or acknowledgement rows; a failure is logged to the console (skeleton.log) and its
/// message is left unacknowledged. Started by the harness with <see cref="ModeVariable"/> set (Program.cs);
/// docs/performance.md, "The skeleton round".
/// </summary>
internal static class SkeletonHub
{
    public const string ModeVariable = "BENCH_SKELETON_HUB";
    public const string DatabaseVariable = "BENCH_SKELETON_DATABASE";
    public const string AmqpVariable = "BENCH_SKELETON_AMQP";
    public const string AcknowledgementUrlVariable = "BENCH_SKELETON_ACK_URL";

    /// <summary>The request headers that carry what the skeleton would otherwise have to parse: the MessageHeader.id and
    /// the receiving municipality's kommunekode.</summary>
    public const string MessageIdHeader = "X-Bench-Message-Id";
    public const string MunicipalityHeader = "X-Bench-Municipality";

    private const string QueuePrefix = "bench.skeleton.";
    private const ushort Prefetch = 32;

    public static bool Requested => Environment.GetEnvironmentVariable(ModeVariable) == "1";

    public static async Task<int> RunAsync()
    {
        await using var database = NpgsqlDataSource.Create(Setting(DatabaseVariable));
        await using (var create = database.CreateCommand(
            "create table if not exists skeleton_messages (id uuid primary key, message_header_id text not null, received_at timestamptz not null, processed_at timestamptz, body bytea compression lz4 not null)"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var inserts = Gathered(database, "skeleton.insert", "insert into skeleton_messages (id, message_header_id, received_at, body) values ($1, $2, now(), $3)");
        var updates = Gathered(database, "skeleton.update", "update skeleton_messages set processed_at = now() where id = $1");
        var acknowledgements = new Uri(Setting(AcknowledgementUrlVariable));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });
        await using var broker = await new ConnectionFactory { Uri = new Uri(Setting(AmqpVariable)) }.CreateConnectionAsync("bench-skeleton");
        await using var publisher = await broker.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        // Channels and connections are not closed at the end: the harness kills this process when it is done with it.
        foreach (var code in Municipalities.Codes)
        {
            var queue = QueuePrefix + code;
            await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await publisher.QueuePurgeAsync(queue);
            var consuming = await broker.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: false, publisherConfirmationTrackingEnabled: false, consumerDispatchConcurrency: Prefetch));
            await consuming.BasicQosAsync(0, Prefetch, global: false);
            var consumer = new AsyncEventingBasicConsumer(consuming);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                try
                {
                    var command = Encoding.UTF8.GetString(delivery.Body.Span);
                    var separator = command.IndexOf(' ', StringComparison.Ordinal);
                    await updates.WriteAsync([Guid.Parse(command.AsSpan(0, separator))]);

                    using var content = new StringContent(Acknowledgement(command[(separator + 1)..]), Encoding.UTF8, "application/fhir+json");
                    using var response = await http.PostAsync(acknowledgements, content);
                    response.EnsureSuccessStatusCode();
                    await consuming.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                }
#pragma warning disable CA1031 // a bench process: any failure is logged, and the harness sees the missing acknowledgement
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Console.Error.WriteLine($"handling a command failed: {e.GetType().Name}: {e.Message}");
                }
            };
            await consuming.BasicConsumeAsync(queue, autoAck: false, consumer);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/health/ready", () => Results.Ok());
        app.MapPost("/fhir/$process-message", async (HttpContext context) =>
        {
            if (context.Request.ContentLength is not { } length)
            {
                return Results.StatusCode(StatusCodes.Status411LengthRequired);
            }

            var body = new byte[length];
            await context.Request.Body.ReadExactlyAsync(body, context.RequestAborted);
            var messageHeaderId = context.Request.Headers[MessageIdHeader].ToString();
            var queue = QueuePrefix + context.Request.Headers[MunicipalityHeader].ToString();
            var id = Guid.CreateVersion7();
            await inserts.WriteAsync([id, messageHeaderId, body]);

            // As the hub's outbox: sent after the message is stored, without holding up the 202.
            _ = Task.Run(async () =>
            {
                try
                {
                    await publisher.BasicPublishAsync(string.Empty, queue, mandatory: true, new BasicProperties { Persistent = true },
                        Encoding.UTF8.GetBytes($"{id} {messageHeaderId}"));
                }
#pragma warning disable CA1031 // as above
                catch (Exception e)
#pragma warning restore CA1031
                {
                    Console.Error.WriteLine($"publish failed: {e.GetType().Name}: {e.Message}"); // the harness sees the missing ACK
                }
            });
            return Results.Accepted();
        });
        await app.RunAsync();
        return 0;
    }

    /// <summary>
    /// One statement, executed for many callers through the hub's own group commit (ADR 0012, 0019: two writers, a batch
    /// gathered while another is written for up to 10 ms, as the hub's ingress and handler do): a batch is one round trip
    /// and one implicit transaction (Npgsql sends a batch's statements with one Sync).
    /// </summary>
    private static GroupCommit<object[], bool> Gathered(NpgsqlDataSource database, string name, string sql)
    {
        async Task<IReadOnlyList<bool>> WriteAsync(IReadOnlyList<object[]> items, CancellationToken cancellationToken)
        {
            await using var batch = database.CreateBatch();
            foreach (var values in items)
            {
                var statement = new NpgsqlBatchCommand(sql);
                foreach (var value in values)
                {
                    statement.Parameters.Add(new NpgsqlParameter { Value = value });
                }

                batch.BatchCommands.Add(statement);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken);
            return [.. items.Select(_ => true)];
        }

        return new GroupCommit<object[], bool>(
            name, WriteAsync, async (item, cancellationToken) => (await WriteAsync([item], cancellationToken))[0],
            gatherWhileBusy: TimeSpan.FromMilliseconds(10));
    }

    /// <summary>A MedCom acknowledgement's shape reduced to what the simulated hospitals read (HospitalEndpoint).</summary>
    private static string Acknowledgement(string respondsTo) =>
        "{\"resourceType\":\"Bundle\",\"type\":\"message\",\"entry\":[{\"resource\":{\"resourceType\":\"MessageHeader\",\"response\":{\"identifier\":\""
        + respondsTo + "\",\"code\":\"ok\"}}}]}";

    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set.");
}

using Npgsql;

namespace Integration.Bench.Harness;

/// <summary>Median and 99th percentile of one stage, in milliseconds.</summary>
internal sealed record StageTiming(string Stage, long Messages, double P50, double P99);

/// <summary>
/// Where a message's time goes, from the hub's own trace (message_events) in PostgreSQL: each consumer records its step
/// with the time it started. Read after a scenario, for the messages received in its window. (The outbox's rows are
/// removed once sent, ADR 0024; the time they waited for the broker is the hub's <c>hub.outbox.wait</c> histogram.)
/// </summary>
internal static class StageTimings
{
    private const string StagesSql = """
        with m as (
          select "MessageId",
                 min("At") filter (where "Kind" = 'received') as received,
                 min("At") filter (where "Kind" = 'validated') as routing,
                 min("At") filter (where "Kind" = 'processed') as applying,
                 min("At") filter (where "Kind" = 'ack-delivered') as delivered
          from message_events
          where "MessageId" in (select "MessageId" from message_events where "Kind" = 'received' and "At" between @from and @to)
          group by "MessageId")
        select stage, count(ms), percentile_cont(0.5) within group (order by ms), percentile_cont(0.99) within group (order by ms)
        from (
          select '1 accepted → validated and routed (0 when ingress routes)' as stage, extract(epoch from routing - received) * 1000 as ms from m
          union all select '2 routed → municipal handler starts', extract(epoch from applying - routing) * 1000 from m
          union all select '3 municipal handler starts → ACK delivered', extract(epoch from delivered - applying) * 1000 from m
          union all select 'accepted → ACK delivered (hub clock)', extract(epoch from delivered - received) * 1000 from m
        ) s
        where ms is not null
        group by stage order by stage
        """;

    public static async Task<IReadOnlyList<StageTiming>> ReadAsync(string database, DateTimeOffset from, DateTimeOffset to)
    {
        var timings = new List<StageTiming>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(StagesSql, connection);
        command.CommandTimeout = 300;
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            timings.Add(new StageTiming(reader.GetString(0), reader.GetInt64(1), Math.Round(reader.GetDouble(2), 1), Math.Round(reader.GetDouble(3), 1)));
        }

        return timings;
    }
}

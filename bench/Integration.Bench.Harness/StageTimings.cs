using Npgsql;

namespace Integration.Bench.Harness;

/// <summary>Median and 99th percentile of one stage, in milliseconds.</summary>
internal sealed record StageTiming(string Stage, long Messages, double P50, double P99);

/// <summary>
/// Where a message's time goes, from the hub's own trace (message_events) and outbox in PostgreSQL: each consumer
/// records its step with the time it started, and each outbox row when it was written and when it was sent. Read after
/// a scenario, for the messages received in its window.
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

    private const string OutboxSql = """
        select 'outbox wait → ' || case when "Destination" like 'municipality.%' then 'municipality.{code}'
                                        when "Destination" like 'homecare.%' then 'homecare.{code}'
                                        else "Destination" end as stage,
               count(*),
               percentile_cont(0.5) within group (order by extract(epoch from "SentAt" - "CreatedAt") * 1000),
               percentile_cont(0.99) within group (order by extract(epoch from "SentAt" - "CreatedAt") * 1000)
        from outbox
        where "CreatedAt" between @from and @to and "SentAt" is not null
        group by 1 order by 1
        """;

    public static async Task<IReadOnlyList<StageTiming>> ReadAsync(string database, DateTimeOffset from, DateTimeOffset to)
    {
        var timings = new List<StageTiming>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var sql in new[] { StagesSql, OutboxSql })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.CommandTimeout = 300;
            command.Parameters.AddWithValue("from", from);
            command.Parameters.AddWithValue("to", to);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                timings.Add(new StageTiming(reader.GetString(0), reader.GetInt64(1), Math.Round(reader.GetDouble(2), 1), Math.Round(reader.GetDouble(3), 1)));
            }
        }

        return timings;
    }
}

using Npgsql;

namespace Integration.Bench.Harness;

/// <summary>What PostgreSQL did for the hub's database over a scenario, per message acknowledged.</summary>
/// <param name="TableScans">Sequential and index scans of the hub's tables (pg_stat_user_tables): every query, update by key
/// and foreign-key check reads at least one, so a read the hub no longer makes shows here.</param>
/// <param name="BlocksRead">Pages PostgreSQL had to bring into its shared buffers (pg_stat_database.blks_read): an index
/// whose inserts land on random pages misses them once it outgrows the buffers; one that grows at its edge does not.</param>
/// <param name="BlocksWritten">Dirty pages written out of the shared buffers by the checkpointer, the background writer and
/// the backends (pg_stat_bgwriter; the bench's server serves only the hub): the other side of the same misses.</param>
internal sealed record DatabaseWork(double Transactions, double RowsInserted, double RowsUpdated, double RowsDeleted, double TableScans,
    double BlocksRead, double BlocksWritten);

/// <summary>
/// Counts the hub's database work from PostgreSQL's own statistics (pg_stat_database, pg_stat_user_tables,
/// pg_stat_bgwriter): commits, rows written, table scans and pages read and written. Unlike
/// CPU and msg/s these counts do not depend on how busy the host is, so a change to the data access shows in them even
/// when the hour's noise hides it in the rates. They include the hub's background work over the same window (the outbox
/// safety net's polls, the flow counter).
/// </summary>
internal static class DatabaseWorkCounter
{
    /// <summary>
    /// PostgreSQL 15 sends a connection's counts at most once a second while it works and within 10 s once it is idle
    /// (PGSTAT_IDLE_INTERVAL): read after that long, a snapshot holds everything done before it.
    /// </summary>
    public static readonly TimeSpan StatisticsDelay = TimeSpan.FromSeconds(11);

    private const string Sql = """
        select d.xact_commit + d.xact_rollback, d.tup_inserted, d.tup_updated, d.tup_deleted,
               (select coalesce(sum(t.seq_scan + coalesce(t.idx_scan, 0)), 0)::bigint from pg_stat_user_tables t),
               d.blks_read,
               (select b.buffers_checkpoint + b.buffers_clean + b.buffers_backend from pg_stat_bgwriter b)
        from pg_stat_database d where d.datname = current_database()
        """;

    internal readonly record struct Snapshot(long Transactions, long Inserted, long Updated, long Deleted, long Scans, long BlocksRead, long BlocksWritten);

    public static async Task<Snapshot> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Snapshot(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.GetInt64(5), reader.GetInt64(6));
    }

    /// <returns>null when no message was acknowledged.</returns>
    public static DatabaseWork? PerMessage(Snapshot before, Snapshot after, long messages)
    {
        if (messages <= 0)
        {
            return null;
        }

        // This reading's own transaction and the one before are not the hub's.
        var transactions = after.Transactions - before.Transactions - 1;
        return new DatabaseWork(
            (double)transactions / messages,
            (double)(after.Inserted - before.Inserted) / messages,
            (double)(after.Updated - before.Updated) / messages,
            (double)(after.Deleted - before.Deleted) / messages,
            (double)(after.Scans - before.Scans) / messages,
            (double)(after.BlocksRead - before.BlocksRead) / messages,
            (double)(after.BlocksWritten - before.BlocksWritten) / messages);
    }
}

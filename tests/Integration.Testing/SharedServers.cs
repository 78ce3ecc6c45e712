namespace Integration.Testing;

/// <summary>
/// One RabbitMQ broker and one PostgreSQL server for the whole test assembly, started on first use.
/// </summary>
/// <remarks>
/// Why: a broker takes 5-11 s to boot here; one per test class would dominate the run. xunit 2 has no
/// assembly fixtures, so this is a process-wide lazy instance instead:
/// <code>
/// public sealed class MyTests : IAsyncLifetime
/// {
///     private RabbitMqServer _rabbit = null!;
///     public async Task InitializeAsync() => _rabbit = await SharedServers.RabbitMqAsync();
///     public Task DisposeAsync() => Task.CompletedTask;   // shared: never dispose it yourself
/// }
/// </code>
/// Tests share the broker: use unique queue/exchange names, and a database of your own
/// (<see cref="PostgresServer.CreateDatabaseAsync"/>). Never restart or dispose a shared server; use a
/// <see cref="RabbitMqServer"/> class fixture for that.
/// The servers are stopped when the process exits (AppDomain.ProcessExit). If the test host is killed before
/// that finishes, a watchdog per server stops it (see Internal/ServerDirectory.cs).
/// A failed start is remembered: every test that asks gets the same exception at once instead of waiting
/// for another doomed boot.
/// </remarks>
public static class SharedServers
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    // Task.Run: the boot must not run on (and post continuations to) the synchronization context of
    // whichever test happened to ask first.
    private static readonly Lazy<Task<RabbitMqServer>> s_rabbitMq = new(() => Task.Run(() => StartAsync(new RabbitMqServer())));
    private static readonly Lazy<Task<PostgresServer>> s_postgres = new(() => Task.Run(() => StartAsync(new PostgresServer())));

#pragma warning disable CA1810 // Static constructor instead of field initializers: registering an event handler is not a field value.
    static SharedServers() => AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAll();
#pragma warning restore CA1810

    /// <summary>The assembly-wide broker (started on the first call).</summary>
    public static Task<RabbitMqServer> RabbitMqAsync() => s_rabbitMq.Value;

    /// <summary>The assembly-wide PostgreSQL server (started on the first call).</summary>
    public static Task<PostgresServer> PostgresAsync() => s_postgres.Value;

    private static async Task<T> StartAsync<T>(T server)
        where T : Xunit.IAsyncLifetime
    {
        // InitializeAsync cleans up after itself when it fails; nothing to stop here in that case.
        await server.InitializeAsync();
        return server;
    }

    private static void StopAll()
    {
        // Both in parallel: the process is on its way out, and vstest may not wait long.
        var stops = new List<Task>();
        if (s_rabbitMq.IsValueCreated)
        {
            stops.Add(StopAsync(s_rabbitMq.Value));
        }

        if (s_postgres.IsValueCreated)
        {
            stops.Add(StopAsync(s_postgres.Value));
        }

        // ProcessExit handlers are synchronous; blocking here is the only way to wait.
        Task.WaitAll(stops.ToArray(), StopTimeout);
    }

    private static async Task StopAsync<T>(Task<T> start)
        where T : Xunit.IAsyncLifetime
    {
        try
        {
            // A start still in progress is awaited, so its processes are stopped too.
            var server = await start;
            await server.DisposeAsync();
        }
#pragma warning disable CA1031 // At process exit there is nobody to report to; the watchdog is the fallback.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}

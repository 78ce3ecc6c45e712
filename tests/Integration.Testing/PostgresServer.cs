using System.Diagnostics;
using System.Text.RegularExpressions;
using Integration.Testing.Internal;
using Npgsql;
using Xunit;

namespace Integration.Testing;

/// <summary>
/// A real PostgreSQL server for integration tests. Give each test class its own database with
/// <see cref="CreateDatabaseAsync"/> instead of its own server: a database takes milliseconds, a server seconds.
/// </summary>
/// <remarks>
/// Where the server comes from, first match wins:
/// <list type="number">
/// <item><c>HUB_TEST_POSTGRES</c>: an Npgsql connection string of a server someone else runs;</item>
/// <item>a Testcontainers container, when a Docker engine answers;</item>
/// <item>Debian's PostgreSQL 15 (initdb + pg_ctl) started as a plain process on a free port.</item>
/// </list>
/// Never skips: if none works, <see cref="InitializeAsync"/> throws and says how to fix it.
/// </remarks>
public sealed partial class PostgresServer : IAsyncLifetime
{
    /// <summary>Environment variable with the connection string of an existing server to use.</summary>
    public const string ConnectionStringVariable = "HUB_TEST_POSTGRES";

    private IPostgresBackend? _backend;

    /// <summary>
    /// Npgsql connection string of the maintenance database "postgres" (Host=127.0.0.1;Port=..;Username=app;
    /// Database=postgres for the local server). Tests should work in a database of their own instead.
    /// </summary>
    public string ConnectionString => Backend.ConnectionString;

    /// <summary>Where the server came from (for test output when something goes wrong).</summary>
    public string Description => Backend.Description;

    /// <summary>How long <see cref="InitializeAsync"/> took.</summary>
    public TimeSpan StartupTime { get; private set; }

    private IPostgresBackend Backend =>
        _backend ?? throw new InvalidOperationException("The PostgreSQL server is not started: await InitializeAsync() first.");

    /// <summary>Starts (or attaches to) the server. On failure nothing is left running.</summary>
    public async Task InitializeAsync()
    {
        if (_backend is not null)
        {
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        _backend = await StartBackendAsync(CancellationToken.None);
        StartupTime = stopwatch.Elapsed;
    }

    private static async Task<IPostgresBackend> StartBackendAsync(CancellationToken cancellationToken)
    {
        var connectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new ExternalPostgres(connectionString);
        }

        Exception? dockerFailure = null;
        if (Environment.GetEnvironmentVariable(RabbitMqServer.NoDockerVariable) != "1")
        {
            try
            {
                var container = await ContainerPostgres.TryStartAsync(cancellationToken);
                if (container is not null)
                {
                    return container;
                }
            }
            catch (Exception e) when (LocalPostgresCluster.IsInstalled)
            {
                // Docker answered but the container failed: the local server is just as good for the tests.
                dockerFailure = e;
            }
        }

        try
        {
            return await LocalPostgresCluster.StartAsync(cancellationToken);
        }
        catch (Exception e) when (dockerFailure is not null)
        {
            throw new AggregateException("Neither the Docker container nor the local PostgreSQL started.", dockerFailure, e);
        }
    }

    /// <summary>
    /// Creates a new, empty database and returns its connection string. Each test class (or test) gets its
    /// own, so tests can run in parallel on one server without seeing each other's rows or schema.
    /// </summary>
    /// <param name="name">Lower-case letters, digits and underscores; a unique "test_..." name when null.</param>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "test_" + Guid.NewGuid().ToString("N");
        // The name goes into SQL text (CREATE DATABASE takes no parameters): allow only a safe identifier.
        if (!SafeIdentifier().IsMatch(name))
        {
            throw new ArgumentException($"Database name '{name}' must match {SafeIdentifier()}.", nameof(name));
        }

        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>Stops the server this fixture started (external servers are left alone).</summary>
    public async Task DisposeAsync()
    {
        var backend = Interlocked.Exchange(ref _backend, null);
        if (backend is not null)
        {
            // Close our idle pooled connections first, so the server's fast shutdown has nobody to kick out.
            NpgsqlConnection.ClearAllPools();
            await backend.DisposeAsync();
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SafeIdentifier();
}

using System.Globalization;
using DotNet.Testcontainers.Builders;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Integration.Testing.Internal;

/// <summary>One way of providing PostgreSQL: external connection string, Docker container or local process.</summary>
internal interface IPostgresBackend : IAsyncDisposable
{
    /// <summary>Connection string to the maintenance database ("postgres").</summary>
    string ConnectionString { get; }

    string Description { get; }
}

/// <summary>A server someone else runs (HUB_TEST_POSTGRES): we neither start nor stop it.</summary>
internal sealed class ExternalPostgres(string connectionString) : IPostgresBackend
{
    public string ConnectionString { get; } = connectionString;

    public string Description =>
        $"external server from {PostgresServer.ConnectionStringVariable} ({new NpgsqlConnectionStringBuilder(ConnectionString).Host})";

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>PostgreSQL in a Docker container (developer machines with Docker).</summary>
internal sealed class ContainerPostgres : IPostgresBackend
{
    // Same major version as Debian 12's postgresql, so the Docker and no-Docker paths behave alike.
    private const string Image = "postgres:15-alpine";
    private readonly PostgreSqlContainer _container;

    private ContainerPostgres(PostgreSqlContainer container) => _container = container;

    /// <summary>Null when no Docker engine answers.</summary>
    public static async Task<ContainerPostgres?> TryStartAsync(CancellationToken cancellationToken)
    {
        PostgreSqlContainer container;
        try
        {
            container = new PostgreSqlBuilder(Image)
                .WithUsername("app").WithPassword("app").WithDatabase("postgres")
                .Build();
        }
        catch (DockerUnavailableException)
        {
            return null;
        }

        try
        {
            await container.StartAsync(cancellationToken);
            return new ContainerPostgres(container);
        }
        catch (DockerUnavailableException)
        {
            await container.DisposeAsync();
            return null;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    public string ConnectionString => _container.GetConnectionString();

    public string Description => $"Docker container {_container.Id[..12]} ({Image})";

    public ValueTask DisposeAsync() => _container.DisposeAsync();
}

/// <summary>
/// A PostgreSQL cluster from Debian's postgresql-15 package, run as a plain process in a private directory on
/// a free port - the fallback when there is no Docker engine. Debian's own cluster (/etc/postgresql) is never
/// touched: we call initdb/pg_ctl directly instead of pg_ctlcluster.
/// </summary>
internal sealed class LocalPostgresCluster : IPostgresBackend
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly ServerDirectory _dir;
    private readonly string _dataDir;
    private readonly string _socketDir;
    private readonly string _logDir;
    private int _port;

    private LocalPostgresCluster(ServerDirectory dir)
    {
        _dir = dir;
        _dataDir = dir.Combine("data");
        _socketDir = dir.Combine("sock");
        _logDir = dir.Combine("log");
        Directory.CreateDirectory(_socketDir);
        Directory.CreateDirectory(_logDir);
    }

    public static bool IsInstalled => File.Exists(Path.Combine(BinDirectory, "initdb"));

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = _port,
        Username = "app",
        Database = "postgres",
    }.ConnectionString;

    public string Description => string.Create(CultureInfo.InvariantCulture,
        $"local PostgreSQL 15 on port {_port} in {_dir.Path}");

    public static async Task<LocalPostgresCluster> StartAsync(CancellationToken cancellationToken)
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException(
                "PostgreSQL is not installed: run scripts/test.sh (it apt-installs postgresql) or set HUB_TEST_POSTGRES");
        }

        var cluster = new LocalPostgresCluster(ServerDirectory.Create("pg"));
        try
        {
            await cluster.InitAndStartAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            // Failure path: never leave a half-started postmaster or its directory behind.
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task InitAndStartAsync(CancellationToken cancellationToken)
    {
        // SIGQUIT = PostgreSQL's "immediate" shutdown (the data is thrown away). Registered before the start
        // so a test host killed during the start still gets its server stopped.
        _dir.AddReapEntry("QUIT", Path.Combine(_dataDir, "postmaster.pid"), _dataDir);
        _dir.StartWatchdog();

        if (Environment.IsPrivilegedProcess)
        {
            // initdb refuses to run as root; as 'postgres' it needs to own the directory it writes into.
            (await ProcessRunner.RunAsync("/bin/chown", ["-R", "postgres:postgres", _dir.Path], _logDir, null,
                CommandTimeout, cancellationToken)).EnsureSuccess("chown of the PostgreSQL test directory");
        }

        // Trust auth on 127.0.0.1 and the private socket only: a throwaway server for tests.
        // --no-sync: nothing here must survive a machine crash, and it saves seconds on slow disks.
        var (initdb, initdbArgs) = ProcessRunner.AsPostgresUser(Path.Combine(BinDirectory, "initdb"),
            ["-D", _dataDir, "-U", "app", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
        (await ProcessRunner.RunAsync(initdb, initdbArgs, _logDir, null, CommandTimeout, cancellationToken))
            .EnsureSuccess("initdb");

        // A port can be taken between our check and the server's bind: retry with another one.
        CommandResult? lastStart = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            _port = FreePorts.Next();
            var options =
                string.Create(CultureInfo.InvariantCulture, $"-p {_port} -k '{_socketDir}' -c listen_addresses=127.0.0.1 ") +
                // Test data is throwaway: skip the fsyncs (much faster schema creation and inserts).
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off " +
                // Many test classes, each with its own Npgsql pool, share one server.
                "-c max_connections=300";
            var (pgCtl, pgCtlArgs) = ProcessRunner.AsPostgresUser(Path.Combine(BinDirectory, "pg_ctl"),
                ["-D", _dataDir, "-l", Path.Combine(_dataDir, "postgres.log"), "-o", options, "-w", "-t", "60", "start"]);
            lastStart = await ProcessRunner.RunAsync(pgCtl, pgCtlArgs, _logDir, null, CommandTimeout, cancellationToken);
            if (lastStart.Succeeded)
            {
                return;
            }
        }

        throw new InvalidOperationException(
            $"PostgreSQL did not start: {lastStart!.Output}{Environment.NewLine}--- server log ---{Environment.NewLine}" +
            ProcessRunner.ReadTail(Path.Combine(_dataDir, "postgres.log"), 40));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var pidFile = Path.Combine(_dataDir, "postmaster.pid");
            var pid = ProcessRunner.ReadPidFile(pidFile);
            if (pid is not null && ProcessRunner.IsAlive(pid.Value))
            {
                // Fast shutdown: rolls back open transactions and disconnects clients instead of waiting for them.
                var (pgCtl, pgCtlArgs) = ProcessRunner.AsPostgresUser(Path.Combine(BinDirectory, "pg_ctl"),
                    ["-D", _dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
                try
                {
                    await ProcessRunner.RunAsync(pgCtl, pgCtlArgs, _logDir, null, CommandTimeout);
                }
                catch (TimeoutException)
                {
                    // Fall through to the kill below.
                }

                if (ProcessRunner.IsAlive(pid.Value))
                {
                    ProcessRunner.KillIfOurs(pid.Value, _dataDir);
                }
            }
        }
        finally
        {
            _dir.Delete();
        }
    }
}

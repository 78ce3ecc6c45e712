using System.Diagnostics;
using System.Globalization;

namespace Integration.Testing.Internal;

/// <summary>
/// A RabbitMQ node started from Debian's rabbitmq-server package as a plain process - the fallback when there
/// is no Docker engine (this machine and CI). Everything lives in a private directory: HOME (Erlang cookie),
/// config, Mnesia data, logs, pid file. The node has its own name, its own free ports and its OWN epmd on a
/// private port (ERL_EPMD_PORT), so fixtures never share state, never collide with a system RabbitMQ, and we
/// can stop the epmd we started by its PID without asking whether another node still needs it.
/// </summary>
internal sealed class LocalRabbitMqNode : IRabbitMqBackend
{
    public const string ServerBinary = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string CtlBinary = "/usr/lib/rabbitmq/bin/rabbitmqctl";

    private static readonly TimeSpan BootTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan CtlTimeout = TimeSpan.FromSeconds(90);
    private static int s_nodeCounter;

    private readonly ServerDirectory _dir;
    private readonly Dictionary<string, string> _environment;
    private readonly string _pidFile;
    private readonly string _logDir;
    private Process? _epmd;

    private LocalRabbitMqNode(ServerDirectory dir)
    {
        _dir = dir;
        NodeName = string.Create(CultureInfo.InvariantCulture,
            $"hubtest{Environment.ProcessId}n{Interlocked.Increment(ref s_nodeCounter)}@localhost");
        AmqpPort = FreePorts.Next();
        DistPort = FreePorts.Next();
        ManagementPort = FreePorts.Next();
        EpmdPort = FreePorts.Next();
        _pidFile = dir.Combine("rabbitmq.pid");
        _logDir = dir.Combine("log");

        var home = dir.Combine("home");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(_logDir);
        Directory.CreateDirectory(dir.Combine("mnesia"));

        // Empty env file: without it rabbitmq-env reads /etc/rabbitmq/rabbitmq-env.conf of the system node.
        var envFile = dir.Combine("rabbitmq-env.conf");
        File.WriteAllText(envFile, string.Empty);
        File.WriteAllText(dir.Combine("enabled_plugins"), "[rabbitmq_management].\n");
        var configFile = dir.Combine("rabbitmq.conf");
        File.WriteAllText(configFile, string.Create(CultureInfo.InvariantCulture, $"""
            # Written by Integration.Testing: a throwaway node for tests.
            listeners.tcp.default = {AmqpPort}
            management.tcp.port = {ManagementPort}
            # guest may log in over any interface (by default only over loopback; harmless for a test node).
            loopback_users = none
            """));

        _environment = new Dictionary<string, string>
        {
            // rabbitmqctl authenticates with the Erlang cookie in $HOME, so server and CLI share this HOME.
            ["HOME"] = home,
            ["RABBITMQ_CONF_ENV_FILE"] = envFile,
            ["RABBITMQ_NODENAME"] = NodeName,
            ["RABBITMQ_NODE_PORT"] = AmqpPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_DIST_PORT"] = DistPort.ToString(CultureInfo.InvariantCulture),
            ["RABBITMQ_MNESIA_BASE"] = dir.Combine("mnesia"),
            ["RABBITMQ_LOG_BASE"] = _logDir,
            ["RABBITMQ_PID_FILE"] = _pidFile,
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = dir.Combine("enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = configFile,
            // Points to a file that does not exist, so /etc/rabbitmq/advanced.config is never picked up.
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = dir.Combine("advanced.config"),
            // Our own epmd (see class summary); the server and rabbitmqctl both find it through this variable.
            ["ERL_EPMD_PORT"] = EpmdPort.ToString(CultureInfo.InvariantCulture),
            // The Elixir CLI warns (and mangles output) without a UTF-8 locale.
            // Erlang starts a (daemonized, untracked) epmd when it finds none. Ours is started first; should it
            // be gone, the node and the CLI must fail instead of leaving a stray epmd behind.
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-start_epmd false",
            ["RABBITMQ_CTL_ERL_ARGS"] = "-start_epmd false",
            ["LC_ALL"] = "C.UTF-8",
            ["LANG"] = "C.UTF-8",
        };
    }

    public string NodeName { get; }

    public int DistPort { get; }

    public int EpmdPort { get; }

    public string Host => "127.0.0.1";

    public int AmqpPort { get; }

    public int? ManagementPort { get; }

    public string Username => "guest";

    public string Password => "guest";

    public string VirtualHost => "/";

    public string Description =>
        $"local rabbitmq-server node {NodeName} (AMQP {AmqpPort}, management {ManagementPort}, epmd {EpmdPort}) in {_dir.Path}";

    public static bool IsInstalled => File.Exists(ServerBinary);

    /// <summary>
    /// Starts a node; retried with new ports when a start fails, because the likeliest cause is a port that
    /// another process took between our check and the node's bind.
    /// </summary>
    public static async Task<LocalRabbitMqNode> StartAsync(CancellationToken cancellationToken)
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException(
                "RabbitMQ is not installed: run scripts/test.sh (it apt-installs rabbitmq-server) or set HUB_TEST_RABBITMQ_URL");
        }

        var failures = new List<Exception>();
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var dir = ServerDirectory.Create("rmq");
            LocalRabbitMqNode node;
            try
            {
                node = new LocalRabbitMqNode(dir);
            }
            catch
            {
                dir.Delete();
                throw;
            }

            try
            {
                await node.StartFirstTimeAsync(cancellationToken);
                return node;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                failures.Add(e);
                // Failure path: never leave a half-started node or its epmd behind.
                await node.DisposeAsync();
            }
            catch
            {
                await node.DisposeAsync();
                throw;
            }
        }

        throw new AggregateException("RabbitMQ node did not start after 3 attempts (see inner exceptions).", failures);
    }

    private async Task StartFirstTimeAsync(CancellationToken cancellationToken)
    {
        // The safety net knows the pid files before the processes exist: a test host killed during the boot
        // still gets its node stopped. Order matters: the node first, then its epmd.
        // KILL, not TERM: the data is thrown away with the directory, and a graceful stop takes ~8 s here.
        // Marker = our directory: the VM's command line names it (-home DIR/home), not the node name.
        _dir.AddReapEntry("KILL", _pidFile, _dir.Path);
        _dir.AddReapEntry("KILL", _dir.Combine("epmd.pid"), string.Create(CultureInfo.InvariantCulture, $"-port {EpmdPort}"));
        _dir.StartWatchdog();

        await StartEpmdAsync(cancellationToken);
        await StartBrokerAsync(cancellationToken);
    }

    private async Task StartEpmdAsync(CancellationToken cancellationToken)
    {
        var epmd = File.Exists("/usr/bin/epmd") ? "/usr/bin/epmd" : "/usr/lib/erlang/bin/epmd";
        _epmd = ProcessRunner.Spawn(epmd,
            ["-port", EpmdPort.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1"],
            Path.Combine(_logDir, "epmd.out"));
        await File.WriteAllTextAsync(_dir.Combine("epmd.pid"),
            _epmd.Id.ToString(CultureInfo.InvariantCulture) + "\n", cancellationToken);

        var deadline = Stopwatch.StartNew();
        while (!await FreePorts.IsListeningAsync(EpmdPort))
        {
            if (_epmd.HasExited || deadline.Elapsed > TimeSpan.FromSeconds(10))
            {
                throw new InvalidOperationException(
                    $"epmd did not start on port {EpmdPort}: {ProcessRunner.ReadTail(Path.Combine(_logDir, "epmd.out"))}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task StartBrokerAsync(CancellationToken cancellationToken)
    {
        // /usr/lib/rabbitmq/bin/rabbitmq-server, not /usr/sbin/rabbitmq-server: the latter switches to the
        // 'rabbitmq' user, which cannot read our directory. -detached: the VM daemonizes, its PID lands in
        // the pid file; `rabbitmqctl wait` then blocks until the node has fully booted (or died).
        (await ProcessRunner.RunAsync(ServerBinary, ["-detached"], _logDir, _environment, CtlTimeout, cancellationToken))
            .EnsureSuccess($"Starting RabbitMQ node {NodeName}");

        var wait = await RunCtlAsync(["wait", _pidFile, "--timeout", ((int)BootTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture)],
            BootTimeout + TimeSpan.FromSeconds(30), cancellationToken);
        if (!wait.Succeeded)
        {
            throw new InvalidOperationException(
                $"RabbitMQ node {NodeName} did not boot: {wait.Output}{Environment.NewLine}--- node log ---{Environment.NewLine}{NodeLogTail()}");
        }
    }

    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        await StopBrokerAsync();
        // Same environment = same node name, ports, Mnesia directory: durable queues and persistent messages
        // come back exactly as a broker restart in production would bring them back.
        await StartBrokerAsync(cancellationToken);
    }

    /// <summary>
    /// Kills the node (by its PID) and its epmd, and deletes the directory. No graceful `rabbitmqctl stop`
    /// here, on purpose: the data is deleted anyway, and a graceful stop takes 8-9 s on this machine -
    /// time that would be added to every test run and that vstest does not give a test host at exit.
    /// (<see cref="RestartAsync"/> stops gracefully, because there the data must survive.)
    /// </summary>
    public ValueTask DisposeAsync()
    {
        try
        {
            var pid = ProcessRunner.ReadPidFile(_pidFile);
            if (pid is not null)
            {
                ProcessRunner.KillIfOurs(pid.Value, _dir.Path);
            }
        }
        finally
        {
            if (_epmd is not null)
            {
                ProcessRunner.TryKill(_epmd);
                _epmd.Dispose();
                _epmd = null;
            }

            // Deleting the directory also tells the watchdog that we cleaned up ourselves.
            _dir.Delete();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Graceful stop (flushes queues to disk), then SIGKILL by PID if the node is still there.</summary>
    private async Task StopBrokerAsync()
    {
        var pid = ProcessRunner.ReadPidFile(_pidFile);
        if (pid is null || !ProcessRunner.IsAlive(pid.Value))
        {
            return;
        }

        try
        {
            // With the pid file argument, `stop` returns only after the VM process has exited.
            await RunCtlAsync(["stop", _pidFile], CtlTimeout, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // Fall through to the kill below.
        }

        if (ProcessRunner.IsAlive(pid.Value))
        {
            ProcessRunner.KillIfOurs(pid.Value, _dir.Path);
        }

        File.Delete(_pidFile);
    }

    private Task<CommandResult> RunCtlAsync(IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync(CtlBinary, new[] { "-n", NodeName }.Concat(arguments), _logDir, _environment, timeout, cancellationToken);

    private string NodeLogTail() => ProcessRunner.ReadTail(Path.Combine(_logDir, NodeName + ".log"), 40);
}

using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Integration.Testing.Internal;

/// <summary>
/// A private directory for one locally started server (config, data, logs, pid files), plus a safety net
/// that stops the server if the test process dies without cleaning up.
/// </summary>
/// <remarks>
/// Why a safety net: vstest kills the test host 100 ms after the run ends (VSTEST_TESTHOST_SHUTDOWN_TIMEOUT),
/// often before AppDomain.ProcessExit handlers finish, and --blame-hang-timeout kills it outright. The servers
/// are separate daemons and would outlive it. So for every server directory we start a detached watchdog
/// (reap.sh, in its own session so a process-tree kill of the test host does not take it along). It polls the
/// test process every second; when that is gone and the directory still exists (= no normal cleanup), it
/// signals the PIDs listed in reap.list - each only if its command line still contains our marker - and
/// deletes the directory. A normal dispose deletes the directory first, and the watchdog then just exits.
/// scripts/test.sh runs the same script with --now for anything left after `dotnet test`.
/// </remarks>
internal sealed class ServerDirectory
{
    /// <summary>Overrides where server directories go (scripts/test.sh sets one per run).</summary>
    public const string RootVariable = "HUB_TEST_SERVER_ROOT";

    private const string ReapScript = """
        #!/usr/bin/env bash
        # Written by Integration.Testing (ServerDirectory.cs). Stops the servers of one test-server directory
        # when the test process that owns them has died without cleaning up.
        #   reap.sh OWNER_PID DIR   wait until OWNER_PID is gone, then reap (unless DIR was removed = clean exit)
        #   reap.sh --now DIR       reap immediately (scripts/test.sh, after dotnet test has exited)
        exec </dev/null >/dev/null 2>&1
        if [ "$1" = "--now" ]; then
          dir=$2
        else
          owner=$1; dir=$2
          while [ -d "$dir" ] && kill -0 "$owner" 2>/dev/null; do sleep 1; done
        fi
        # Only act on a directory that is one of ours.
        [ -f "$dir/reap.list" ] || exit 0
        # Each line: SIGNAL PIDFILE MARKER. In order: the server first, then its epmd.
        while read -r sig pidfile marker; do
          [ -f "$pidfile" ] || continue
          pid=$(head -n1 "$pidfile" | tr -dc '0-9')
          [ -n "$pid" ] || continue
          # PID-reuse guard: signal only a process whose command line still names our marker.
          tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || continue
          kill -s "$sig" "$pid" 2>/dev/null
          for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
          kill -s KILL "$pid" 2>/dev/null
        done < "$dir/reap.list"
        # Anything else still running from this directory, e.g. a rabbitmqctl the dead test host had started.
        for p in /proc/[0-9]*; do
          pid=${p#/proc/}
          [ "$pid" = "$$" ] && continue
          # mapfile is a builtin: no process per /proc entry (this loop runs on a busy machine).
          mapfile -d '' args < "$p/cmdline" 2>/dev/null || continue
          cmd="${args[*]}"
          case "$cmd" in
            *reap.sh*) ;;
            *"$dir/"*) kill -s KILL "$pid" 2>/dev/null ;;
          esac
        done
        echo "$(date -Is) reaped $dir" >> "$(dirname "$dir")/reaped.log"
        rm -rf -- "$dir"
        """;

    private static int s_counter;
    private readonly List<string> _reapEntries = [];

    private ServerDirectory(string path) => Path = path;

    public string Path { get; }

    public static ServerDirectory Create(string kind)
    {
        var root = Environment.GetEnvironmentVariable(RootVariable);
        if (string.IsNullOrWhiteSpace(root))
        {
            root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "hubtest-servers");
        }

        Directory.CreateDirectory(root);
        // 0755 whatever the umask: the 'postgres' user must be able to traverse to its data directory.
        TrySetMode(root);
        // Short and unique (process id + counter + random): PostgreSQL's socket path must stay below 108 bytes.
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{kind}-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}-{Guid.NewGuid().ToString("N")[..6]}");
        var path = System.IO.Path.Combine(root, name);
        Directory.CreateDirectory(path);
        TrySetMode(path);
        File.WriteAllText(System.IO.Path.Combine(path, "owner.pid"),
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        return new ServerDirectory(path);
    }

    private static void TrySetMode(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // No Unix modes (and no local servers) there.
        }

        try
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
                                            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        catch (UnauthorizedAccessException)
        {
            // A shared root created by another user: leave its mode alone.
        }
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Registers a process (by its pid file) for the safety net; call before starting it.</summary>
    public void AddReapEntry(string signal, string pidFile, string marker)
    {
        _reapEntries.Add($"{signal} {pidFile} {marker}");
        File.WriteAllText(Combine("reap.list"), string.Join('\n', _reapEntries) + "\n", Encoding.ASCII);
    }

    /// <summary>Starts the detached watchdog (see the class remarks).</summary>
    public void StartWatchdog()
    {
        var script = Combine("reap.sh");
        File.WriteAllText(script, ReapScript.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        var startInfo = new ProcessStartInfo(File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "/bin/bash")
        {
            UseShellExecute = false,
            // Our stdio must not stay open in a process that outlives us (vstest reads the host's output);
            // the script re-points its own stdio to /dev/null on its first line.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (startInfo.FileName.EndsWith("setsid", StringComparison.Ordinal))
        {
            // -f: fork, so the watchdog is in its own session and not a child a tree-kill would reach.
            startInfo.ArgumentList.Add("-f");
            startInfo.ArgumentList.Add("/bin/bash");
        }

        startInfo.ArgumentList.Add(script);
        startInfo.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add(Path);
        using var process = Process.Start(startInfo);
    }

    /// <summary>Deletes the directory (as root we can, even where PostgreSQL's files belong to 'postgres').</summary>
    public void Delete()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            try
            {
                if (Directory.Exists(Path))
                {
                    Directory.Delete(Path, recursive: true);
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A server that is still writing its last log lines: try again shortly.
                Thread.Sleep(200);
            }
        }
    }
}

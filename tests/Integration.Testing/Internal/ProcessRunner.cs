using System.Diagnostics;
using System.Globalization;

namespace Integration.Testing.Internal;

/// <summary>Result of one finished command: exit code and combined stdout+stderr.</summary>
internal sealed record CommandResult(int ExitCode, string Output, string CommandLine)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the command's own output, which is what a developer needs to fix a failed start.</summary>
    public CommandResult EnsureSuccess(string what)
    {
        if (!Succeeded)
        {
            throw new InvalidOperationException(
                $"{what} failed (exit code {ExitCode}): {CommandLine}{Environment.NewLine}{Output}");
        }

        return this;
    }
}

/// <summary>Starts the external programs (rabbitmq-server, rabbitmqctl, initdb, pg_ctl, epmd).</summary>
internal static class ProcessRunner
{
    private static int s_counter;

    /// <summary>
    /// Runs a command to completion. Its output goes to a FILE, not to a pipe: daemons started by the command
    /// (the Erlang VM of rabbitmq-server -detached, the postmaster of pg_ctl) inherit stdout/stderr, and with a
    /// pipe we would wait for an end-of-file that only comes when the server stops.
    /// </summary>
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string logDirectory,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var args = arguments.ToList();
        var commandLine = string.Join(' ', args.Prepend(fileName));
        var outputFile = Path.Combine(
            logDirectory,
            string.Create(CultureInfo.InvariantCulture, $"cmd-{Interlocked.Increment(ref s_counter)}-{Path.GetFileName(fileName)}.out"));

        using var process = Start(fileName, args, environment, outputFile);
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            // Kill only what we started (this process and its children), never by name.
            TryKill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"'{commandLine}' did not finish within {timeout.TotalSeconds:0} s.{Environment.NewLine}{ReadTail(outputFile)}");
        }

        return new CommandResult(process.ExitCode, ReadTail(outputFile), commandLine);
    }

    /// <summary>Starts a long-running program (epmd) whose Process we keep, so we can stop it by its PID.</summary>
    public static Process Spawn(string fileName, IEnumerable<string> arguments, string outputFile,
        IReadOnlyDictionary<string, string>? environment = null) =>
        Start(fileName, arguments.ToList(), environment, outputFile);

    private static Process Start(string fileName, List<string> args, IReadOnlyDictionary<string, string>? environment,
        string outputFile)
    {
        // /bin/sh redirects the output and then exec's the real program: the PID we get is the program's own PID.
        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$HUBTEST_OUTPUT_FILE\" 2>&1 </dev/null");
        startInfo.ArgumentList.Add(fileName);
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                startInfo.Environment[key] = value;
            }
        }

        startInfo.Environment["HUBTEST_OUTPUT_FILE"] = outputFile;
        return Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {fileName}.");
    }

    public static void TryKill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone: nothing to stop.
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Exited between the check and the kill.
        }
    }

    /// <summary>
    /// SIGKILLs a process known only by a PID read from a pid file - but only if its command line still contains
    /// <paramref name="marker"/> (node name, data directory), so a recycled PID never hits a stranger's process.
    /// </summary>
    public static void KillIfOurs(int pid, string marker)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            if (!cmdline.Contains(marker, StringComparison.Ordinal))
            {
                return;
            }

            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException
                                      or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // The process is already gone.
        }
    }

    /// <summary>Reads the first integer of a pid file (rabbitmq.pid, postmaster.pid); null when absent.</summary>
    public static int? ReadPidFile(string path)
    {
        try
        {
            var firstLine = File.ReadLines(path).FirstOrDefault();
            return int.TryParse(firstLine?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>Last lines of a log file, for error messages (a whole RabbitMQ log would drown the cause).</summary>
    public static string ReadTail(string path, int maxLines = 60)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Length - maxLines)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(no output: {e.Message})";
        }
    }

    /// <summary>
    /// initdb refuses to run as root, so as root we run the PostgreSQL tools as the 'postgres' user created by
    /// Debian's package. As an ordinary user we run them directly (they then own the data directory).
    /// </summary>
    public static (string FileName, IEnumerable<string> Arguments) AsPostgresUser(string fileName, IEnumerable<string> arguments) =>
        Environment.IsPrivilegedProcess
            ? ("/usr/sbin/runuser", new[] { "-u", "postgres", "--", fileName }.Concat(arguments))
            : (fileName, arguments);
}

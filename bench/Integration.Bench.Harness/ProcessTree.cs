using System.Globalization;

namespace Integration.Bench.Harness;

/// <summary>CPU time used so far and memory now of a process with all its descendants.</summary>
internal readonly record struct ProcessUsage(double CpuSeconds, long MemoryBytes);

/// <summary>Something whose CPU and memory the sampler follows.</summary>
internal interface IUsageSource
{
    string Name { get; }

    ProcessUsage Read();
}

/// <summary>
/// A process and its descendants as /proc shows them (Linux only): RabbitMQ's beam.smp with its helpers, the PostgreSQL
/// postmaster with its backends, the hub. CPU is utime+stime of each live process plus cutime+cstime (children already
/// reaped); memory is the sum of proportional set sizes (Pss), so PostgreSQL's shared buffers count once, not once per
/// backend.
/// </summary>
internal sealed class ProcessTree(string name, int rootPid, bool withDescendants = true) : IUsageSource
{
    /// <summary>Clock ticks per second of /proc/[pid]/stat (USER_HZ): 100 on Linux/x86-64.</summary>
    private const double TicksPerSecond = 100;

    private static readonly string[] SocketTables = ["/proc/net/tcp", "/proc/net/tcp6"];

    public string Name { get; } = name;

    public int RootPid { get; } = rootPid;

    public ProcessUsage Read()
    {
        var parents = new Dictionary<int, int>();
        var times = new Dictionary<int, double>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var stat = TryRead(Path.Combine(dir, "stat"));
            if (stat is null)
            {
                continue;
            }

            // Fields after the command name, which is in parentheses and may itself hold spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            parents[pid] = (int)Parse(fields[1]);
            times[pid] = (Parse(fields[11]) + Parse(fields[12]) + Parse(fields[13]) + Parse(fields[14])) / TicksPerSecond;
        }

        var tree = new HashSet<int> { RootPid };
        bool grew = withDescendants;
        while (grew)
        {
            grew = false;
            foreach (var (pid, parent) in parents)
            {
                if (tree.Contains(parent) && tree.Add(pid))
                {
                    grew = true;
                }
            }
        }

        double cpu = 0;
        long memory = 0;
        foreach (var pid in tree.Where(times.ContainsKey))
        {
            cpu += times[pid];
            memory += ProportionalSetSize(pid);
        }

        return new ProcessUsage(cpu, memory);
    }

    /// <summary>The process that listens on a TCP port on this machine (the broker's AMQP port, PostgreSQL's port).</summary>
    public static int ListeningOn(int port)
    {
        var inodes = SocketTables
            .Where(File.Exists)
            .SelectMany(File.ReadLines)
            .Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 9 && f[3] == "0A" && int.Parse(f[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
            .Select(f => $"socket:[{f[9]}]")
            .ToHashSet(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                if (Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd"))
                    .Any(fd => new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target)))
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // exited meanwhile, or not ours to look into
            }
        }

        throw new InvalidOperationException($"No process listens on port {port}.");
    }

    private static long ProportionalSetSize(int pid)
    {
        var rollup = TryRead($"/proc/{pid}/smaps_rollup");
        var line = rollup?.Split('\n').FirstOrDefault(l => l.StartsWith("Pss:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    private static long Parse(string field) => long.Parse(field, CultureInfo.InvariantCulture);

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the process exited while we looked
        }
    }
}

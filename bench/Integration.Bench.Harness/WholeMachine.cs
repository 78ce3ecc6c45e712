using System.Globalization;

namespace Integration.Bench.Harness;

/// <summary>
/// All processes on the machine (/proc/stat, /proc/meminfo): what the bench's own processes do not account for is
/// someone else's load on the same cores, which the report must show rather than hide.
/// </summary>
internal sealed class WholeMachine : IUsageSource
{
    private const double TicksPerSecond = 100;

    public string Name => "machine";

    public ProcessUsage Read()
    {
        // cpu  user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = cpu.Sum() - cpu[3] - cpu[4];
        var memory = File.ReadLines("/proc/meminfo").ToDictionary(
            l => l.Split(':')[0], l => long.Parse(l.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        return new ProcessUsage(busy / TicksPerSecond, (memory["MemTotal"] - memory["MemAvailable"]) * 1024);
    }
}

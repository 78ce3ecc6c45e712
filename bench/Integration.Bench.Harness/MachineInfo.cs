using System.Globalization;
using System.Runtime.InteropServices;

namespace Integration.Bench.Harness;

/// <summary>The machine description every published number needs: cores, CPU model, memory, OS, runtime.</summary>
internal static class MachineInfo
{
    public static MachineDescription Describe(string rabbitMqVersion, string postgresVersion)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?.Split('=', 2)[1].Trim('"') ?? "Linux"
            : RuntimeInformation.OSDescription;
        return new MachineDescription(
            Environment.ProcessorCount,
            cpu,
            Math.Round(long.Parse(memKb, CultureInfo.InvariantCulture) / 1024.0 / 1024.0, 1),
            os,
            RuntimeInformation.FrameworkDescription,
            rabbitMqVersion,
            postgresVersion);
    }
}

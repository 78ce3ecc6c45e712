using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Integration.Bench.Harness;

/// <summary>Writes a run as JSON (everything) and Markdown (the tables docs/performance.md quotes).</summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static (string Json, string Markdown) Write(BenchReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, "bench-" + report.StartedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        File.WriteAllText(stem + ".json", JsonSerializer.Serialize(report, Json));
        File.WriteAllText(stem + ".md", Markdown(report));
        return (stem + ".json", stem + ".md");
    }

    public static string Markdown(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        var m = report.Machine;
        md.AppendLine(CultureInfo.InvariantCulture, $"# Bench run {report.StartedAt:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`{report.Command}`");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {m.Cores} cores ({m.CpuModel}), {m.MemoryGb:0.#} GB, {m.Os}; {m.Runtime}; RabbitMQ {m.RabbitMq}; {m.Postgres}. Broker, database, hub and harness share the cores.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Messages: MedCom HospitalNotification flows (STIN, STOR, SLOR, SLHJ), {report.AverageMessageBytes:N0} bytes on average.");
        if (report.HubToBaselineRatio is { } ratio)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Hub / raw RabbitMQ.Client baseline throughput: **{ratio:0.000}**.");
        }

        if (report.HubToSkeletonRatio is { } skeletonRatio)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Hub / skeleton hub throughput (closed loops of the same size): **{skeletonRatio:0.000}**.");
        }

        md.AppendLine();
        md.AppendLine("| scenario | messages acked / posted | msg/s | p50 ms | p95 ms | p99 ms | max ms | not ok | complete |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var s in report.Scenarios)
        {
            foreach (var row in s.Groups.Count > 1 ? [s.Total, .. s.Groups] : new[] { s.Total })
            {
                var name = row.Group == "all" || s.Groups.Count <= 1 ? s.Name : $"{s.Name}: {row.Group}";
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {name} | {row.Acknowledged:N0} / {row.Posted:N0} | {row.MessagesPerSecond:N1} | {row.P50} | {row.P95} | {row.P99} | {row.Max} | {row.NotOk} | {(s.Complete ? "yes" : "NO")} |");
            }
        }

        md.AppendLine();
        md.AppendLine("CPU: cores busy on average over the scenario (2.0 = both cores); memory: peak proportional set size (MB) of the process and its children. "
            + "`machine` is every process on the machine (memory: used): CPU beyond the bench's own processes is other load on the same cores.");
        md.AppendLine();
        var processes = report.Scenarios.SelectMany(s => s.Resources.Select(r => r.Process)).Distinct(StringComparer.Ordinal).ToList();
        md.AppendLine("| scenario | " + string.Join(" | ", processes.Select(p => $"{p} CPU | {p} peak MB")) + " |");
        md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|---|", processes.Count)));
        foreach (var s in report.Scenarios)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {s.Name} |");
            foreach (var p in processes)
            {
                var r = s.Resources.FirstOrDefault(x => x.Process == p);
                md.Append(r is null ? " – | – |" : FormattableString.Invariant($" {r.CpuCores:0.00} | {r.PeakMemoryMb:0} |"));
            }

            md.AppendLine();
        }

        if (report.Scenarios.Any(s => s.Database is not null))
        {
            md.AppendLine();
            md.AppendLine("The hub's database work per message acknowledged (PostgreSQL's pg_stat_database, pg_stat_user_tables and pg_stat_bgwriter over the scenario, background work included):");
            md.AppendLine();
            md.AppendLine("| scenario | transactions | rows inserted | rows updated | rows deleted | table scans | blocks read | blocks written |");
            md.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var s in report.Scenarios.Where(s => s.Database is not null))
            {
                var d = s.Database!;
                md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Name} | {d.Transactions:0.00} | {d.RowsInserted:0.00} | {d.RowsUpdated:0.00} | {d.RowsDeleted:0.00} | {d.TableScans:0.00} | {d.BlocksRead:0.00} | {d.BlocksWritten:0.00} |");
            }
        }

        foreach (var s in report.Scenarios.Where(s => s.Stages.Count > 0))
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Where the time goes, {s.Name} (hub's own trace, ms):");
            md.AppendLine();
            md.AppendLine("| stage | messages | p50 | p99 |");
            md.AppendLine("|---|---|---|---|");
            foreach (var t in s.Stages)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Stage} | {t.Messages:N0} | {t.P50} | {t.P99} |");
            }
        }

        foreach (var s in report.Scenarios.Where(s => s.Memory.Count > 0))
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Memory over the {s.Name} (MB, Pss):");
            md.AppendLine();
            var names = s.Memory[0].MemoryMb.Keys.ToList();
            md.AppendLine("| seconds | " + string.Join(" | ", names) + " |");
            md.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---|", names.Count)));
            foreach (var sample in s.Memory)
            {
                var cells = string.Join(" | ", names.Select(n => sample.MemoryMb.GetValueOrDefault(n).ToString("0", CultureInfo.InvariantCulture)));
                md.AppendLine(CultureInfo.InvariantCulture, $"| {sample.Seconds:0} | {cells} |");
            }
        }

        foreach (var s in report.Scenarios.Where(s => s.Notes.Count > 0))
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"{s.Name}: {s.Description}");
            foreach (var note in s.Notes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
            }
        }

        return md.ToString();
    }
}

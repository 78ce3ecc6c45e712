using System.Globalization;

namespace Integration.Bench.Harness;

/// <summary>Command-line options; every count is a parameter so a longer run is one flag away.</summary>
internal sealed record BenchOptions
{
    public static readonly IReadOnlyList<string> AllScenarios = ["baseline", "skeleton-sustained", "skeleton", "sustained", "throughput", "one-municipality", "burst", "soak"];

    public IReadOnlyList<string> Scenarios { get; init; } = AllScenarios;
    public int BaselineCount { get; init; } = 20_000;
    public double SustainedRate { get; init; } = 200;
    public int SustainedSeconds { get; init; } = 20;
    public int ThroughputCount { get; init; } = 3_000;
    /// <summary>Messages posted and not yet acknowledged, at most (closed loop).</summary>
    public int Window { get; init; } = 256;
    public int BurstCount { get; init; } = 2_000;
    /// <summary>Share of the burst addressed to the stopped municipality.</summary>
    public double StoppedShare { get; init; } = 0.25;
    /// <summary>How many times the burst is measured with every consumer running and with one stopped; the order
    /// alternates from pair to pair, so neither side always has the warmer or the smaller database.</summary>
    public int BurstPairs { get; init; } = 2;
    public long SoakCount { get; init; } = 10_000;
    public int WarmupCount { get; init; } = 500;
    /// <summary>ANALYZE the hub's database after the warm-up, as autovacuum does for a running hub (below).</summary>
    public bool AnalyzeAfterWarmup { get; init; } = true;
    /// <summary>The hub to run: an Integration.Host.dll, e.g. of a ReadyToRun publish; null: the build beside the harness.</summary>
    public string? HubAssembly { get; init; }
    /// <summary>bench/results of the repository the command runs in (`dotnet run` may start the harness elsewhere).</summary>
    public string Output { get; init; } = Path.Combine(RepositoryRoot(), "bench", "results");

    /// <summary>A folder (e.g. a publish) is taken to hold Integration.Host.dll.</summary>
    private static string HubAssemblyAt(string path)
    {
        var assembly = Directory.Exists(path) ? Path.Combine(path, "Integration.Host.dll") : path;
        return File.Exists(assembly) ? Path.GetFullPath(assembly) : throw new ArgumentException($"--hub: there is no {assembly}.\n{Usage}");
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Integration.sln")))
            {
                return directory.FullName;
            }
        }

        return Environment.CurrentDirectory;
    }

    public const string Usage = """
        dotnet run -c Release --project bench/Integration.Bench.Harness -- [options]
          --scenario all|baseline,skeleton-sustained,skeleton,sustained,throughput,one-municipality,burst,soak
                                  (default all; skeleton: a stripped-down hub of the same design, no FHIR, closed
                                  loop as throughput; skeleton-sustained: the same at the sustained rate)
          --baseline-count N      raw RabbitMQ.Client messages (20000)
          --rate R                sustained scenario's messages per second (200)
          --sustained-seconds S   sustained scenario's duration (20)
          --throughput-count N    messages in the throughput and one-municipality scenarios (3000)
          --window N              messages awaiting their ACK at most, closed loop (256)
          --burst-count N         messages per burst (2000)
          --stopped-share F       share of the burst for the stopped municipality (0.25)
          --burst-pairs N         bursts with all running and with one stopped, N of each, order alternating (2)
          --soak-count N          messages in the soak (10000; the target is 1000000)
          --warmup-count N        messages before measuring (500)
          --analyze yes|no        ANALYZE the hub's database after the warm-up, as autovacuum would have (yes);
                                  no measures tables without planner statistics, as in a new database's first minutes
          --hub PATH              the hub to run: an Integration.Host.dll or a folder holding one, e.g. a ReadyToRun
                                  publish (the build beside the harness)
          --out DIR               where results go (bench/results)
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            options = args[i] switch
            {
                "--scenario" => options with { Scenarios = value == "all" ? AllScenarios : ScenarioList(value) },
                "--baseline-count" => options with { BaselineCount = Int(value) },
                "--rate" => options with { SustainedRate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--sustained-seconds" => options with { SustainedSeconds = Int(value) },
                "--throughput-count" => options with { ThroughputCount = Int(value) },
                "--window" => options with { Window = Int(value) },
                "--burst-count" => options with { BurstCount = Int(value) },
                "--stopped-share" => options with { StoppedShare = double.Parse(value, CultureInfo.InvariantCulture) },
                "--burst-pairs" => options with { BurstPairs = Int(value) >= 1 ? Int(value) : throw new ArgumentException($"--burst-pairs takes 1 or more.\n{Usage}") },
                "--soak-count" => options with { SoakCount = long.Parse(value, CultureInfo.InvariantCulture) },
                "--warmup-count" => options with { WarmupCount = Int(value) },
                "--analyze" => options with { AnalyzeAfterWarmup = value is "yes" or "true" ? true : value is "no" or "false" ? false : throw new ArgumentException($"--analyze takes yes or no.\n{Usage}") },
                "--hub" => options with { HubAssembly = HubAssemblyAt(value) },
                "--out" => options with { Output = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}"),
            };
            i++;
        }

        return options;
    }

    public bool Runs(string scenario) => Scenarios.Contains(scenario, StringComparer.Ordinal);

    private static string[] ScenarioList(string list)
    {
        var names = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Except(AllScenarios, StringComparer.Ordinal).ToList();
        return unknown.Count == 0 ? names : throw new ArgumentException($"Unknown scenario(s) {string.Join(", ", unknown)}.\n{Usage}");
    }

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}

namespace Integration.Bench.Harness;

/// <summary>What one scenario measured.</summary>
internal sealed record ScenarioResult(
    string Name,
    string Description,
    bool Complete,
    LatencySummary Total,
    IReadOnlyList<LatencySummary> Groups,
    IReadOnlyList<ProcessResources> Resources,
    IReadOnlyList<StageTiming> Stages,
    IReadOnlyList<MemorySample> Memory,
    IReadOnlyList<string> Notes,
    DatabaseWork? Database);

/// <summary>The machine the run was on.</summary>
internal sealed record MachineDescription(int Cores, string CpuModel, double MemoryGb, string Os, string Runtime, string RabbitMq, string Postgres);

/// <summary>One run of the harness.</summary>
internal sealed record BenchReport(
    DateTimeOffset StartedAt,
    string Command,
    MachineDescription Machine,
    int AverageMessageBytes,
    IReadOnlyDictionary<string, string> HubSettings,
    IReadOnlyList<ScenarioResult> Scenarios,
    double? HubToBaselineRatio,
    double? HubToSkeletonRatio);

using System.Diagnostics;
using System.Globalization;
using System.Text;
using Integration.Testing;
using Npgsql;

namespace Integration.Bench.Harness;

/// <summary>
/// One run: starts RabbitMQ, PostgreSQL, the simulated hospitals' endpoint, the home-care readers and the hub (its own
/// process), runs the chosen scenarios one after another on the same hub and stops everything it started.
/// </summary>
internal sealed class BenchRun(BenchOptions options, string command) : IAsyncDisposable
{
    private const string StoppedCode = "851";
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(2);

    private readonly RabbitMqServer _rabbit = new();
    private readonly PostgresServer _postgres = new();
    private readonly ResourceSampler _sampler = new();
    private readonly BenchPartners _partners = BenchPartners.Create();
    private readonly NotificationFlows _flows = NotificationFlows.Load(MedComExamples.HospitalNotifications);
    private readonly Dictionary<string, string> _hubSettings = new(StringComparer.Ordinal);
    private HospitalEndpoint? _hospitals;
    private BenchHub? _hub;
    private HomeCareSystems? _homeCare;
    private HttpClient? _http;
    private LoadDriver? _driver;
    private string? _partnerFile;
    private string _database = "";
    private long _nextStay;

    public async Task<BenchReport> ExecuteAsync()
    {
        var startedAt = DateTimeOffset.UtcNow;
        Console.WriteLine("Starting RabbitMQ and PostgreSQL …");
        await Task.WhenAll(_rabbit.InitializeAsync(), _postgres.InitializeAsync());
        var postgresPort = new NpgsqlConnectionStringBuilder(_postgres.ConnectionString).Port;
        _sampler.Watch(new ProcessTree("rabbitmq", ProcessTree.ListeningOn(_rabbit.AmqpPort)));
        _sampler.Watch(new ProcessTree("postgres", ProcessTree.ListeningOn(postgresPort)));
        _sampler.Watch(new ProcessTree("harness", Environment.ProcessId, withDescendants: false));
        _sampler.Watch(new WholeMachine());
        _sampler.Start();
        var machine = MachineInfo.Describe(await RabbitMqVersionAsync(), await PostgresVersionAsync());

        var scenarios = new List<ScenarioResult>();
        ScenarioResult? baseline = null;
        if (options.Runs("baseline"))
        {
            baseline = await BaselineAsync();
            scenarios.Add(baseline);
        }

        ScenarioResult? skeleton = null;
        if (options.Runs("skeleton") || options.Runs("skeleton-sustained"))
        {
            var results = await SkeletonAsync();
            skeleton = results.FirstOrDefault(r => r.Name == "skeleton");
            scenarios.AddRange(results);
        }

        ScenarioResult? throughput = null;
        if (options.Scenarios.Any(s => s is not ("baseline" or "skeleton" or "skeleton-sustained")))
        {
            await StartHubAsync();
            await WarmUpAsync();
            if (options.Runs("sustained"))
            {
                scenarios.Add(await SustainedAsync());
            }

            if (options.Runs("throughput"))
            {
                throughput = await ThroughputAsync("throughput", "as fast as possible, 98 municipalities", _partners.MunicipalUnits);
                scenarios.Add(throughput);
            }

            if (options.Runs("one-municipality"))
            {
                scenarios.Add(await ThroughputAsync("one-municipality", "as fast as possible, every message to municipality 101", [_partners.MunicipalUnit("101")]));
            }

            if (options.Runs("burst"))
            {
                scenarios.AddRange(await BurstAsync());
            }

            if (options.Runs("soak"))
            {
                scenarios.Add(await SoakAsync());
            }
        }

        return new BenchReport(startedAt, command, machine, _flows.AverageBodyBytes, Redacted(_hubSettings), scenarios,
            Ratio(throughput, baseline), Ratio(throughput, skeleton));
    }

    /// <summary>Null unless both scenarios completed: a run that stalled has no meaningful rate.</summary>
    private static double? Ratio(ScenarioResult? hub, ScenarioResult? reference) =>
        hub is { Complete: true } && reference is { Complete: true } && reference.Total.MessagesPerSecond > 0
            ? Math.Round(hub.Total.MessagesPerSecond / reference.Total.MessagesPerSecond, 3)
            : null;

    /// <summary>
    /// The skeleton hub (SkeletonHub) in the hub's place, before the hub starts: its own process, database and queues, the
    /// same simulated hospitals and payloads, warmed up as the hub is and measured in the hub's order with the hub's pauses
    /// (sustained, then the closed loop); then stopped, and its database dropped.
    /// </summary>
    private async Task<IReadOnlyList<ScenarioResult>> SkeletonAsync()
    {
        _hospitals ??= await HospitalEndpoint.StartAsync();
        var database = await _postgres.CreateDatabaseAsync("bench_skeleton");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [SkeletonHub.ModeVariable] = "1",
            [SkeletonHub.DatabaseVariable] = database,
            [SkeletonHub.AmqpVariable] = _rabbit.AmqpUri.ToString(),
            [SkeletonHub.AcknowledgementUrlVariable] = _hospitals.AcknowledgementUrl("skeleton").ToString(),
        };
        var log = Path.GetFullPath(Path.Combine(options.Output, "skeleton.log"));
        Directory.CreateDirectory(options.Output);
        Console.WriteLine($"Starting the skeleton hub (log: {log}) …");
        var skeleton = await BenchHub.StartAsync(typeof(SkeletonHub).Assembly.Location, settings, log);
        var tree = new ProcessTree("skeleton hub", skeleton.Pid);
        _sampler.Watch(tree);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = skeleton.Address, Timeout = TimeSpan.FromMinutes(2) };
            var driver = new LoadDriver(http, _hospitals, routingInHeaders: true);
            Console.WriteLine($"Skeleton warm-up: {options.WarmupCount} messages …");
            var warmUp = new LatencyRecorder();
            if (!await driver.RunClosedLoopAsync(NewPlan(options.WarmupCount, _partners.MunicipalUnits), options.WarmupCount, options.Window, _ => "warm-up", warmUp, Stall)
                || warmUp.Total().NotOk > 0)
            {
                throw new InvalidOperationException($"The skeleton hub's warm-up did not complete with every acknowledgement ok; see {log}.");
            }

            // The hub's scenarios wait for PostgreSQL's statistics before and after each (MeasureAsync): 11 s after the
            // warm-up, 22 s between two. The skeleton's get the same pauses.
            var results = new List<ScenarioResult>();
            var pause = DatabaseWorkCounter.StatisticsDelay;
            if (options.Runs("skeleton-sustained"))
            {
                await Task.Delay(pause);
                pause = 2 * DatabaseWorkCounter.StatisticsDelay;
                results.Add(await FixedRateAsync("skeleton-sustained", "the skeleton hub", driver, readStages: false));
            }

            if (options.Runs("skeleton"))
            {
                await Task.Delay(pause);
                results.Add(await ClosedLoopAsync("skeleton", "the skeleton hub, as fast as possible", driver, _partners.MunicipalUnits, readStages: false));
            }

            return results;
        }
        finally
        {
            _sampler.Unwatch(tree);
            await skeleton.DisposeAsync();
            await DropDatabaseAsync(database); // its tables would otherwise sit beside the hub's through the hub's scenarios
        }
    }

    private async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\" with (force)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    private Task<ScenarioResult> BaselineAsync() => MeasureAsync(
        "baseline", $"raw RabbitMQ.Client 7: publish with confirms ({options.Window} in flight), consume with manual ack, prefetch 32, one durable queue, same payloads",
        readStages: false,
        async recorder =>
        {
            var result = await RawBaseline.RunAsync(_rabbit, NewPlan(options.BaselineCount, _partners.MunicipalUnits), options.BaselineCount, options.Window);
            return (true, [], result);
        });

    private Task<ScenarioResult> SustainedAsync() => FixedRateAsync("sustained", "98 municipalities", Driver, readStages: true);

    private Task<ScenarioResult> FixedRateAsync(string name, string what, LoadDriver driver, bool readStages) => MeasureAsync(
        name, $"{what}, {options.SustainedRate:0} msg/s for {options.SustainedSeconds} s (open loop)",
        readStages,
        async recorder =>
        {
            var complete = await driver.RunFixedRateAsync(
                NewPlan((long)(options.SustainedRate * options.SustainedSeconds), _partners.MunicipalUnits),
                options.SustainedRate, TimeSpan.FromSeconds(options.SustainedSeconds), _ => "all", recorder, Stall);
            return (complete, [], recorder);
        },
        driver);

    private Task<ScenarioResult> ThroughputAsync(string name, string description, IReadOnlyList<BenchOrganisation> units) =>
        ClosedLoopAsync(name, description, Driver, units, readStages: true);

    private Task<ScenarioResult> ClosedLoopAsync(string name, string description, LoadDriver driver, IReadOnlyList<BenchOrganisation> units, bool readStages) => MeasureAsync(
        name, $"{description}; closed loop, at most {options.Window} messages awaiting their ACK",
        readStages,
        async recorder =>
        {
            var complete = await driver.RunClosedLoopAsync(NewPlan(options.ThroughputCount, units), options.ThroughputCount, options.Window, _ => "all", recorder, Stall);
            return (complete, [], recorder);
        },
        driver);

    /// <summary>
    /// The same burst, to the same mix of municipalities, with every consumer running and with one municipality's
    /// consumer stopped; the other municipalities' throughput and latency are compared between the two. With more than
    /// one pair the order alternates (running first, then stopped first, …): a burst lasts a few seconds, and the one
    /// measured second always met a larger database and a warmer hub.
    /// </summary>
    private async Task<IReadOnlyList<ScenarioResult>> BurstAsync()
    {
        var stopped = _partners.MunicipalUnit(StoppedCode);
        var others = _partners.MunicipalUnits.Where(u => u != stopped).ToList();
        // Round-robin over this list gives the stopped municipality its share of the burst.
        var repeat = (int)Math.Round(options.StoppedShare * others.Count / (1 - options.StoppedShare));
        var mix = others.Concat(Enumerable.Repeat(stopped, repeat)).ToList();

        var results = new List<ScenarioResult>();
        for (var pair = 1; pair <= options.BurstPairs; pair++)
        {
            var suffix = options.BurstPairs == 1 ? "" : $" #{pair}";
            if (pair % 2 == 1)
            {
                results.Add(await BurstAllRunningAsync(mix, suffix));
                results.Add(await BurstWithOneStoppedAsync(mix, suffix));
            }
            else
            {
                results.Add(await BurstWithOneStoppedAsync(mix, suffix));
                results.Add(await BurstAllRunningAsync(mix, suffix));
            }
        }

        if (options.BurstPairs > 1)
        {
            results[^1] = results[^1] with { Notes = [.. results[^1].Notes, OthersInBursts(results)] };
        }

        return results;
    }

    private const string OthersGroup = "97 other municipalities";

    private static string BurstGroup(BenchMessage message) => message.MunicipalityCode == StoppedCode ? $"municipality {StoppedCode}" : OthersGroup;

    private Task<ScenarioResult> BurstAllRunningAsync(List<BenchOrganisation> mix, string suffix) => MeasureAsync(
        $"burst, all running{suffix}", $"{options.BurstCount} messages posted at once, {options.StoppedShare:P0} to municipality {StoppedCode}, every consumer running",
        readStages: true,
        async recorder =>
        {
            var accepted = await Driver.PostBurstAsync(NewPlan(options.BurstCount, mix), options.BurstCount, BurstGroup, recorder);
            var complete = await LoadDriver.WaitForAcknowledgementsAsync(recorder, accepted.Values.Sum(), Stall);
            return (complete, [], recorder);
        });

    private Task<ScenarioResult> BurstWithOneStoppedAsync(List<BenchOrganisation> mix, string suffix) => MeasureAsync(
        $"burst, {StoppedCode} stopped{suffix}", $"the same burst with municipality {StoppedCode}'s consumer stopped (its exchange re-bound to a parking queue), then resumed",
        readStages: true,
        async recorder =>
        {
            await using var stop = await ParkedExchange.ParkAsync(_rabbit, $"municipality.{StoppedCode}");
            var accepted = await Driver.PostBurstAsync(NewPlan(options.BurstCount, mix), options.BurstCount, BurstGroup, recorder);
            var othersDone = await LoadDriver.WaitForAcknowledgementsAsync(recorder, accepted.GetValueOrDefault(OthersGroup), Stall);
            var backlog = await stop.BacklogAsync();
            var resumedAt = Stopwatch.GetTimestamp();
            var moved = (await stop.ResumeAsync()).Count;
            var complete = await LoadDriver.WaitForAcknowledgementsAsync(recorder, accepted.Values.Sum(), Stall);
            return (othersDone && complete,
                [
                    $"while {StoppedCode} was stopped, {backlog:N0} of its messages waited in the broker; the other municipalities' ACKs had all arrived",
                    $"resumed: {moved:N0} parked messages handed back, all acknowledged {Stopwatch.GetElapsedTime(resumedAt).TotalSeconds:0.0} s later (the stopped municipality's latencies include the time it was stopped)",
                ],
                recorder);
        });

    /// <summary>The other municipalities' rate in each burst, running against stopped, and the medians of both; a burst
    /// that did not complete is marked and left out of its median.</summary>
    private static string OthersInBursts(IReadOnlyList<ScenarioResult> bursts)
    {
        static List<ScenarioResult> Of(IEnumerable<ScenarioResult> results) => [.. results];
        static double Rate(ScenarioResult result) => result.Groups.Single(g => g.Group == OthersGroup).MessagesPerSecond;
        static string List(List<ScenarioResult> results) =>
            string.Join(" / ", results.Select(r => Rate(r).ToString("0.0", CultureInfo.InvariantCulture) + (r.Complete ? "" : " (incomplete)")));
        static string MedianOf(List<ScenarioResult> results) =>
            results.Where(r => r.Complete).Select(Rate).ToList() is { Count: > 0 } rates ? Median(rates).ToString("0.0", CultureInfo.InvariantCulture) : "none complete";
        var running = Of(bursts.Where(b => b.Name.StartsWith("burst, all running", StringComparison.Ordinal)));
        var withStop = Of(bursts.Where(b => !b.Name.StartsWith("burst, all running", StringComparison.Ordinal)));
        return $"the {OthersGroup}, msg/s per pair: all running {List(running)} (median {MedianOf(running)}); {StoppedCode} stopped {List(withStop)} (median {MedianOf(withStop)})";
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private async Task<ScenarioResult> SoakAsync()
    {
        var result = await MeasureAsync(
            "soak", $"{options.SoakCount:N0} messages, closed loop ({options.Window} awaiting their ACK), 98 municipalities; memory sampled every second",
            readStages: false,
            async recorder =>
            {
                var start = Stopwatch.GetTimestamp();
                var complete = await Driver.RunClosedLoopAsync(NewPlan(options.SoakCount, _partners.MunicipalUnits), options.SoakCount, options.Window, _ => "all", recorder, Stall,
                    posted => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  soak: {posted:N0} posted, {recorder.Acknowledged:N0} acknowledged, {Stopwatch.GetElapsedTime(start).TotalSeconds:0} s")));
                return (complete, [], recorder);
            },
            memorySeries: true);
        return result with { Notes = [.. result.Notes, .. MemoryTrend(result.Memory)] };
    }

    /// <summary>Flat or not: the mean of the first and last tenth of the samples, per process (the first tenth after warm-up).</summary>
    private static IEnumerable<string> MemoryTrend(IReadOnlyList<MemorySample> samples)
    {
        if (samples.Count < 10)
        {
            yield break;
        }

        var tenth = samples.Count / 10;
        foreach (var process in samples[0].MemoryMb.Keys)
        {
            var first = samples.Skip(tenth).Take(tenth).Average(s => s.MemoryMb[process]);
            var last = samples.TakeLast(tenth).Average(s => s.MemoryMb[process]);
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{process}: {first:0} MB in the second tenth of the soak, {last:0} MB in the last tenth ({(last - first) / first:+0.0%;-0.0%})");
        }
    }

    private async Task<ScenarioResult> MeasureAsync(
        string name, string description, bool readStages,
        Func<LatencyRecorder, Task<(bool Complete, IReadOnlyList<string> Notes, LatencyRecorder Recorder)>> body, LoadDriver? driver = null,
        bool memorySeries = false)
    {
        Console.WriteLine($"Scenario {name}: {description}");
        var countsDatabase = _database.Length > 0;
        if (countsDatabase)
        {
            await Task.Delay(DatabaseWorkCounter.StatisticsDelay); // the work before the scenario into the first snapshot
        }

        var databaseBefore = countsDatabase ? await DatabaseWorkCounter.ReadAsync(_database) : default;
        var fromWall = DateTimeOffset.UtcNow;
        var from = _sampler.Mark();
        var (complete, notes, recorder) = await body(new LatencyRecorder());
        var to = _sampler.Mark();
        var toWall = DateTimeOffset.UtcNow;
        DatabaseWork? database = null;
        if (countsDatabase)
        {
            await Task.Delay(DatabaseWorkCounter.StatisticsDelay);
            database = DatabaseWorkCounter.PerMessage(databaseBefore, await DatabaseWorkCounter.ReadAsync(_database), recorder.Total().Acknowledged);
        }

        var stages = readStages ? await StageTimings.ReadAsync(_database, fromWall, toWall) : [];
        var seconds = Stopwatch.GetElapsedTime(from, to).TotalSeconds;
        var memory = memorySeries ? _sampler.MemoryOver(from, to, TimeSpan.FromSeconds(Math.Max(10, Math.Ceiling(seconds / 40)))) : [];
        var total = recorder.Total();
        var failures = (driver ?? _driver)?.FailedPosts ?? 0;
        var allNotes = failures > 0 ? [.. notes, $"{failures} posts so far in the run were not accepted"] : notes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {total.Acknowledged:N0}/{total.Posted:N0} acknowledged, {total.MessagesPerSecond:N1} msg/s, p50 {total.P50} ms, p99 {total.P99} ms, max {total.Max} ms{(complete ? "" : " — INCOMPLETE")}"));
        return new ScenarioResult(name, description, complete, total, recorder.Summaries(), _sampler.Window(from, to), stages, memory, allNotes, database);
    }

    private LoadDriver Driver => _driver ?? throw new InvalidOperationException("The hub is not started.");

    private async Task StartHubAsync()
    {
        _hospitals ??= await HospitalEndpoint.StartAsync();
        _partnerFile = Path.Combine(Path.GetTempPath(), $"bench-partners-{Guid.NewGuid():N}.json");
        _partners.WriteFile(_partnerFile, _hospitals.AcknowledgementUrl);
        _database = await _postgres.CreateDatabaseAsync("bench_hub");
        _hubSettings["Database__Provider"] = "Postgres";
        _hubSettings["Database__ConnectionString"] = _database;
        _hubSettings["Messaging__Transport"] = "RabbitMq";
        _hubSettings["Messaging__RabbitMq__Host"] = _rabbit.Host;
        _hubSettings["Messaging__RabbitMq__Port"] = _rabbit.AmqpPort.ToString(CultureInfo.InvariantCulture);
        _hubSettings["Messaging__RabbitMq__VirtualHost"] = _rabbit.VirtualHost;
        _hubSettings["Messaging__RabbitMq__Username"] = _rabbit.Username;
        _hubSettings["Messaging__RabbitMq__Password"] = _rabbit.Password;
        _hubSettings["Partners__File"] = _partnerFile;
        _hubSettings["Municipal__HomeCareCitizensFile"] = "";
        _hubSettings["Municipal__OrganisationFile"] = ""; // the embedded organisation names the embedded registry's units, not the bench's
        _hubSettings["Validation__PackagesFolder"] = MedComExamples.Packages;
        _hubSettings["Privacy__CitizenKeySecret"] = "bench-" + Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(options.Output);
        var log = Path.GetFullPath(Path.Combine(options.Output, "hub.log"));
        Console.WriteLine($"Starting the hub (log: {log}) …");
        _hub = await BenchHub.StartAsync(options.HubAssembly, _hubSettings, log);
        _sampler.Watch(new ProcessTree("hub", _hub.Pid));
        _homeCare = await HomeCareSystems.StartAsync(_rabbit, Municipalities.Codes);
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = _hub.Address, Timeout = TimeSpan.FromMinutes(2) };
        _driver = new LoadDriver(_http, _hospitals);
    }

    /// <summary>JIT, connection pools, the 98 municipalities' queues and home-care queues: before anything is measured.</summary>
    private async Task WarmUpAsync()
    {
        Console.WriteLine($"Warm-up: {options.WarmupCount} messages …");
        var recorder = new LatencyRecorder();
        if (!await Driver.RunClosedLoopAsync(NewPlan(options.WarmupCount, _partners.MunicipalUnits), options.WarmupCount, options.Window, _ => "warm-up", recorder, Stall))
        {
            throw new InvalidOperationException($"The warm-up did not complete; see {_hub!.LogFile}.");
        }

        var notOk = recorder.Total().NotOk;
        if (notOk > 0)
        {
            throw new InvalidOperationException($"{notOk} warm-up messages were not acknowledged ok: the bench traffic is not what the hub accepts; see {_hub!.LogFile}.");
        }

        if (options.AnalyzeAfterWarmup)
        {
            await AnalyzeAsync();
        }
    }

    /// <summary>
    /// The bench's database is new: its tables grow from empty to thousands of rows within the first minute, before
    /// autovacuum (which wakes once a minute) has analyzed any of them. Without statistics PostgreSQL planned some of the
    /// hub's batch lookups, once prepared, as scans of a whole table or index range: the inbox lookup read the consumer's
    /// 5,000 rows to find two (7.8 ms instead of 0.13 ms; docs/performance.md). A hub that has run for a few minutes has
    /// statistics; this gives the bench's database what autovacuum would have given it.
    /// </summary>
    private async Task AnalyzeAsync()
    {
        Console.WriteLine("ANALYZE of the hub's database (planner statistics, as autovacuum keeps them) …");
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var analyze = new NpgsqlCommand("ANALYZE", connection) { CommandTimeout = 300 };
        await analyze.ExecuteNonQueryAsync();
    }

    private TrafficPlan NewPlan(long messages, IReadOnlyList<BenchOrganisation> units)
    {
        var plan = new TrafficPlan(_flows, _partners.Hospitals, units, _nextStay);
        _nextStay += TrafficPlan.StaysFor(messages);
        return plan;
    }

    private async Task<string> RabbitMqVersionAsync()
    {
        await using var connection = await _rabbit.CreateConnectionFactory().CreateConnectionAsync("bench-version");
        return connection.ServerProperties is { } p && p.TryGetValue("version", out var v) && v is byte[] bytes ? Encoding.UTF8.GetString(bytes) : "unknown";
    }

    private async Task<string> PostgresVersionAsync()
    {
        await using var connection = new NpgsqlConnection(_postgres.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("show server_version", connection);
        return "PostgreSQL " + (string)(await query.ExecuteScalarAsync())!;
    }

    private static Dictionary<string, string> Redacted(Dictionary<string, string> settings) =>
        settings.ToDictionary(kv => kv.Key, kv => kv.Key.Contains("Password", StringComparison.Ordinal) || kv.Key.Contains("Secret", StringComparison.Ordinal) ? "(set)" : kv.Value, StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_homeCare is not null)
        {
            await _homeCare.DisposeAsync();
        }

        if (_hub is not null)
        {
            await _hub.DisposeAsync();
        }

        if (_hospitals is not null)
        {
            await _hospitals.DisposeAsync();
        }

        await _sampler.DisposeAsync();
        await _rabbit.DisposeAsync();
        await _postgres.DisposeAsync();
        if (_partnerFile is not null)
        {
            File.Delete(_partnerFile);
        }
    }
}

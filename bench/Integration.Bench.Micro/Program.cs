using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In process: BenchmarkDotNet's generated projects would inherit this repository's warnings-as-errors build rules.
// BenchmarkDotNet's ShortRun job (3 iterations after 3 warm-ups); pass its own arguments too, e.g. --filter '*Validate*'.
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
BenchmarkSwitcher.FromAssembly(typeof(Integration.Bench.Micro.MessagePipelineBenchmarks).Assembly).Run(args, config);

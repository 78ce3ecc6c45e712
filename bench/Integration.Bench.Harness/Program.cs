using Integration.Bench.Harness;

if (SkeletonHub.Requested)
{
    return await SkeletonHub.RunAsync(); // the harness started this process as the skeleton hub (BenchRun)
}

if (args.Contains("--help"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

await using var run = new BenchRun(options, "dotnet run -c Release --project bench/Integration.Bench.Harness -- " + string.Join(' ', args));
var report = await run.ExecuteAsync();
var (json, markdown) = ReportWriter.Write(report, options.Output);
Console.WriteLine(ReportWriter.Markdown(report));
Console.WriteLine($"Results: {json}, {markdown}");
return report.Scenarios.All(s => s.Complete) ? 0 : 1;

using System.Diagnostics;
using System.Text;
using Integration.Testing;
using Xunit.Abstractions;

namespace Integration.EndToEnd.Tests.Conformance;

/// <summary>
/// MedCom conformance (issue 3): every MedCom example, as published, through the real hub, each asserted against the
/// outcome MedCom intends for it (<see cref="ConformanceExpectations"/>); the result is written to docs/conformance.md.
/// The files keep their original ids: no other test posts them unchanged, and the fixture's database is new per run.
/// </summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class ConformanceSuiteTests(HubFixture hub, ITestOutputHelper output)
{
    [Fact]
    public async Task GivenEveryMedComExample_WhenPostedUnchangedToTheHub_ThenEachGetsTheOutcomeMedComIntends()
    {
        var onDisk = ConformanceExpectations.FilesOnDisk();
        var unclassified = onDisk.Except(ConformanceExpectations.Files.Keys, StringComparer.Ordinal).ToList();
        var gone = ConformanceExpectations.Files.Keys.Except(onDisk, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.True(unclassified.Count == 0 && gone.Count == 0,
            $"ConformanceExpectations must classify exactly the files in {MedComExamples.Examples}. Not classified: {string.Join(", ", unclassified)}. Not on disk: {string.Join(", ", gone)}.");

        var clock = Stopwatch.StartNew();
        var results = await new ConformanceRun(hub).RunAsync(ConformanceExpectations.Rows());
        output.WriteLine($"{results.Count} messages in {clock.Elapsed.TotalSeconds:F1} s");

        // Written before asserting, so that the table shows what the hub does even when it is wrong.
        var report = Path.Combine(MedComExamples.RepositoryRoot, "docs", "conformance.md");
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        await File.WriteAllTextAsync(report, ConformanceReport.Markdown(results), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        Assert.True(results.All(r => r.Passed), ConformanceReport.Mismatches(results));
    }
}

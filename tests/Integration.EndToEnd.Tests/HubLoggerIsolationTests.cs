using Integration.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Core;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// Several hubs share one test process. Each must write to its own sinks: a shared static logger once sent
/// the privacy test's events to another hub's sinks, and the privacy test then saw no log lines at all.
/// </summary>
public sealed class HubLoggerIsolationTests
{
    [Fact]
    public async Task GivenTwoHubsInOneProcess_WhenEachLogs_ThenEachSinkSeesOnlyItsOwnHub()
    {
        var first = new CapturedLogs();
        var second = new CapturedLogs();
        await using var firstHub = Build(first);
        await using var secondHub = Build(second); // built last: with a static logger it would capture both

        firstHub.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Test").LogInformation("from the first hub");
        secondHub.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Test").LogInformation("from the second hub");

        Assert.Contains(first.Lines, l => l.Contains("from the first hub", StringComparison.Ordinal));
        Assert.DoesNotContain(first.Lines, l => l.Contains("from the second hub", StringComparison.Ordinal));
        Assert.Contains(second.Lines, l => l.Contains("from the second hub", StringComparison.Ordinal));
        Assert.DoesNotContain(second.Lines, l => l.Contains("from the first hub", StringComparison.Ordinal));
    }

    private static WebApplication Build(ILogEventSink sink) => HubApplication.Build([], builder =>
    {
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = "Data Source=:memory:",
        });
        builder.Services.AddSingleton(sink);
    });
}

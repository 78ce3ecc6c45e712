using System.Net;
using Integration.Persistence;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;

namespace Integration.EndToEnd.Tests;

/// <summary>A message accepted with 202 survives a crash of the hub process: another process finishes it, once.</summary>
[Trait("Category", "Integration")]
public sealed class ProcessCrashTests : IAsyncLifetime
{
    private readonly RabbitMqServer _rabbit = new();
    private HospitalEndpoint _hospital = null!;
    private string _database = null!;
    private string _partnerFile = null!;

    public async Task InitializeAsync()
    {
        await _rabbit.InitializeAsync(); // its own broker: a crashed process leaves its queues behind
        _database = await (await SharedServers.PostgresAsync()).CreateDatabaseAsync();
        _hospital = await HospitalEndpoint.StartAsync();
        _partnerFile = RunningHub.WritePartnerFile(_hospital.Url);
    }

    public async Task DisposeAsync()
    {
        await _hospital.DisposeAsync();
        await _rabbit.DisposeAsync();
        File.Delete(_partnerFile);
    }

    [Fact]
    public async Task GivenTheHubIsKilledRightAfterAccepting_WhenAnotherHubProcessStarts_ThenEveryMessageIsAppliedOnceAndAcknowledged()
    {
        // Enough citizens, posted at once, that the hub cannot finish them all before it is killed: since the outbox
        // sends right after commit (ADR 0010), one example of each kind was done within the crash's few milliseconds.
        var examples = Directory.GetFiles(MedComExamples.HospitalNotifications, "Bundle-*.json").Select(File.ReadAllText).ToList();
        var messages = Enumerable.Range(0, 10).SelectMany(_ => examples.Select(e => ExampleVariants.Fresh(e))).ToList();

        await using (var first = await HubProcess.StartAsync(Settings()))
        {
            using var http = OperatorApiKey.Client(first.Address);
            var statuses = await Task.WhenAll(messages.Select(async message =>
            {
                using var response = await http.PostMessageAsync(message.Json);
                return response.StatusCode;
            }));
            Assert.All(statuses, status => Assert.Equal(HttpStatusCode.Accepted, status));

            first.Crash(); // while the accepted messages are somewhere between ingress, router, municipality and outbound
            AssertNoCpr(first.Output, messages);
        }

        // The crash must really have interrupted work, or this test would prove nothing.
        await using (var db = NewDbContext())
        {
            var ids = messages.Select(m => m.MessageHeaderId).ToList();
            var finished = await db.Acknowledgements.CountAsync(a => a.DeliveredAt != null && db.Messages.Any(m => m.Id == a.MessageId && ids.Contains(m.MessageHeaderId)));
            Assert.True(finished < messages.Count, "every message was finished before the crash");
        }

        await using var second = await HubProcess.StartAsync(Settings());
        using var secondHttp = OperatorApiKey.Client(second.Address);
        foreach (var message in messages)
        {
            var trace = await secondHttp.WaitForDeliveredAckAsync(message.MessageHeaderId, TimeSpan.FromMinutes(2));
            Assert.Equal("processed", (string?)trace["state"]);
            Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
            Assert.NotEmpty(_hospital.AcknowledgementsFor(message.MessageHeaderId));
        }

        // Effects once: one stay event and one inbox row per message, whatever the crash interrupted.
        await using var check = NewDbContext();
        foreach (var message in messages)
        {
            Assert.Equal(1, await check.StayEvents.CountAsync(e => e.MessageHeaderId == message.MessageHeaderId));
            Assert.Equal(1, await check.Inbox.CountAsync(i => i.MessageHeaderId == message.MessageHeaderId));
        }

        AssertNoCpr(second.Output, messages);
    }

    private PostgresHubDbContext NewDbContext() =>
        new(new DbContextOptionsBuilder<PostgresHubDbContext>().UseNpgsql(_database).Options);

    private Dictionary<string, string> Settings() => RunningHub.Settings(_rabbit, _database, _partnerFile);

    private static void AssertNoCpr(string output, IEnumerable<ExampleVariants.Variant> messages)
    {
        Assert.False(string.IsNullOrEmpty(output));
        var leaks = messages.Count(m => output.Contains(m.Cpr, StringComparison.Ordinal));
        Assert.True(leaks == 0, $"{leaks} CPR numbers in the hub's console output");
    }
}

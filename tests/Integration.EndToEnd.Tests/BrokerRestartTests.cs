using System.Net;
using Integration.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.EndToEnd.Tests;

/// <summary>Nothing accepted is lost when RabbitMQ restarts: the hub's outbox holds what the broker cannot take yet.</summary>
[Trait("Category", "Integration")]
public sealed class BrokerRestartTests : IAsyncLifetime
{
    private readonly RabbitMqServer _rabbit = new();
    private HospitalEndpoint _hospital = null!;
    private Microsoft.AspNetCore.Builder.WebApplication _hub = null!;
    private HttpClient _http = null!;
    private string _partnerFile = null!;

    public async Task InitializeAsync()
    {
        await _rabbit.InitializeAsync(); // a broker of its own: restarting the shared one would disturb other tests
        var postgres = await SharedServers.PostgresAsync();
        _hospital = await HospitalEndpoint.StartAsync();
        (_hub, _http, _partnerFile) = await RunningHub.StartAsync(_rabbit, await postgres.CreateDatabaseAsync(), _hospital.Url);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _hub.StopAsync();
        await _hub.DisposeAsync();
        await _hospital.DisposeAsync();
        await _rabbit.DisposeAsync();
        File.Delete(_partnerFile);
    }

    [Fact]
    public async Task GivenMessagesPostedWhileTheBrokerRestarts_WhenItIsBack_ThenEveryOneIsProcessedAndAcknowledgedOnce()
    {
        var examples = Directory.GetFiles(MedComExamples.HospitalNotifications, "Bundle-*.json").Select(File.ReadAllText).ToList();
        var before = examples.Select(e => ExampleVariants.Fresh(e)).ToList();
        var during = examples.Select(e => ExampleVariants.Fresh(e)).ToList();
        foreach (var message in before)
        {
            await PostAcceptedAsync(message);
        }

        var restart = _rabbit.RestartAsync();
        foreach (var message in during)
        {
            // Ingress needs only the database: it answers 202 while the broker is away.
            await PostAcceptedAsync(message);
            await Task.Delay(200);
        }

        await restart;

        foreach (var message in before.Concat(during))
        {
            System.Text.Json.Nodes.JsonNode trace;
            try
            {
                trace = await _http.WaitForDeliveredAckAsync(message.MessageHeaderId, TimeSpan.FromMinutes(2));
            }
            catch (TimeoutException ex)
            {
                throw new TimeoutException($"{ex.Message}\n{await DiagnoseAsync()}", ex);
            }

            Assert.Equal("processed", (string?)trace["state"]);
            Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
            Assert.Single(_hospital.AcknowledgementsFor(message.MessageHeaderId));
        }
    }

    /// <summary>Where a stuck message is: outbox rows not sent, and the router's queues.</summary>
    private async Task<string> DiagnoseAsync()
    {
        var factory = _hub.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Integration.Persistence.HubDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        var unsent = db.Outbox.Count(); // sent rows are removed (ADR 0024)
        var retried = db.Outbox.Where(o => o.Attempts > 1).Select(o => $"{o.Id}:{o.Destination}:{o.Attempts}:{o.LastError}").ToList();
        var queues = new List<string>();
        foreach (var queue in new[] { "hub.router", "hub.router_error", "municipality.163", "municipality.163_error", "hub.outbound", "hub.outbound_error" })
        {
            try
            {
                queues.Add($"{queue}={await _rabbit.QueueMessageCountAsync(queue)}");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                queues.Add($"{queue}=?");
            }
        }

        return $"unsent outbox rows: {unsent}; resent rows: {string.Join(", ", retried)}; queues: {string.Join(", ", queues)}";
    }

    private async Task PostAcceptedAsync(ExampleVariants.Variant message)
    {
        using var response = await _http.PostMessageAsync(message.Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}

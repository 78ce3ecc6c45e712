using System.Net;
using Integration.Host;
using Integration.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.EndToEnd.Tests;

/// <summary>The README's run command: in-memory transport, SQLite file, registry from the embedded file.</summary>
[Trait("Category", "Integration")]
public sealed class EmbeddedDefaultTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"hub-embedded-{Guid.NewGuid():N}");
    private WebApplication _hub = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // Only the port and the data folder differ from appsettings.json: everything else is the shipped default.
        _hub = HubApplication.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:ConnectionString"] = $"Data Source={Path.Combine(_dataDirectory, "hub.db")}",
            });
        });
        await _hub.StartAsync();
        var address = _hub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = OperatorApiKey.Client(new Uri(address));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _hub.StopAsync();
        await _hub.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task GivenTheEmbeddedDefault_WhenMedComsAdmissionIsPosted_ThenItIsProcessedAndAckedOnTheHospitalsQueue()
    {
        using var response = await _http.PostMessageAsync(MedComExamples.HospitalNotification("a5e5b880"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("/api/messages/b9b4818e-02de-4cc4-b418-d20cbc7b5404", response.Headers.Location?.ToString());
        var trace = await _http.WaitForDeliveredAckAsync("b9b4818e-02de-4cc4-b418-d20cbc7b5404");
        Assert.Equal("processed", (string?)trace["state"]);
        Assert.Equal("STIN", (string?)trace["eventCode"]);
        Assert.Equal("250947-****", (string?)trace["citizen"]);
        Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
        Assert.Equal("queue", (string?)trace["acknowledgement"]!["channel"]);
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "homecare-alert");
        Assert.True(File.Exists(Path.Combine(_dataDirectory, "hub.db")));

        using var ready = await _http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task GivenTheEmbeddedDefault_WhenTheDashboardAsksForTheBroker_ThenTheInMemoryBusReportsItsOwnFigures()
    {
        var broker = System.Text.Json.Nodes.JsonNode.Parse(await _http.GetStringAsync(new Uri("/api/dashboard/broker", UriKind.Relative)))!;

        Assert.Equal("in-memory-bus", (string?)broker["source"]);
        Assert.True((bool)broker["healthy"]!);
        Assert.NotNull(broker["outbox"]!["pending"]);
    }

    [Fact]
    public async Task GivenTheEmbeddedDefault_WhenTheReadmesTrainingPlanIsPosted_ThenItsWorklistAndTheFhirReadApiShowTheEpisode()
    {
        var plan = await File.ReadAllTextAsync(Path.Combine(MedComExamples.RepositoryRoot, "contracts", "examples", "training-plan-new.json"));
        using var response = await _http.PostMessageAsync(plan);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await _http.WaitForDeliveredAckAsync("82ff2d5b-b2ea-4814-8952-6007f1e9eebf");
        Assert.Equal("processed", (string?)trace["state"]);
        using var worklistRequest = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/municipalities/163/worklist", UriKind.Relative));
        worklistRequest.Headers.Add("X-Api-Key", "herlev-demo-key"); // as the README: Herlev's system reads Herlev's worklist
        using var worklistResponse = await _http.SendAsync(worklistRequest);
        var worklist = System.Text.Json.Nodes.JsonNode.Parse(await worklistResponse.Content.ReadAsStringAsync())!;
        Assert.Single(worklist["waitingToStart"]!.AsArray());
        using var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri("/fhir/EpisodeOfCare?patient.identifier=urn:oid:1.2.208.176.1.2|0101909100", UriKind.Relative));
        request.Headers.Add("X-Api-Key", "herlev-demo-key"); // the README's demo key for the embedded default
        using var search = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Equal(1, (int?)System.Text.Json.Nodes.JsonNode.Parse(await search.Content.ReadAsStringAsync())!["total"]);
    }
}

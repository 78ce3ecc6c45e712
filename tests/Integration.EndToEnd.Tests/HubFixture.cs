using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Host;
using Integration.Persistence;
using Integration.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace Integration.EndToEnd.Tests;

[CollectionDefinition(Name)]
public sealed class HubTestGroup : ICollectionFixture<HubFixture>
{
    public const string Name = "hub on RabbitMQ and PostgreSQL";
}

/// <summary>
/// The hub as it runs for real (RabbitMQ transport, PostgreSQL) in this process on a free port, with the MedCom
/// hospital's acknowledgements going over HTTP to a <see cref="HospitalEndpoint"/>.
/// </summary>
public sealed class HubFixture : IAsyncLifetime
{
    public const string HospitalPartnerId = "herlev-gentofte-hjerteafdeling";

    private string? _partnerFile;

    public WebApplication Hub { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public HospitalEndpoint Hospital { get; private set; } = null!;
    public RabbitMqServer Rabbit { get; private set; } = null!;
    public CapturedLogs Logs { get; } = new();

    public IDbContextFactory<HubDbContext> Db => Hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();

    public async Task InitializeAsync()
    {
        Rabbit = await SharedServers.RabbitMqAsync();
        var postgres = await SharedServers.PostgresAsync();
        var database = await postgres.CreateDatabaseAsync();
        Hospital = await HospitalEndpoint.StartAsync();
        _partnerFile = WritePartnerFile(Hospital.Url);

        Hub = HubApplication.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Postgres",
                ["Database:ConnectionString"] = database,
                ["Messaging:Transport"] = "RabbitMq",
                ["Messaging:RabbitMq:Host"] = Rabbit.Host,
                ["Messaging:RabbitMq:Port"] = Rabbit.AmqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Messaging:RabbitMq:VirtualHost"] = Rabbit.VirtualHost,
                ["Messaging:RabbitMq:Username"] = Rabbit.Username,
                ["Messaging:RabbitMq:Password"] = Rabbit.Password,
                ["Partners:File"] = _partnerFile,
                ["Municipal:HomeCareCitizensFile"] = "embedded/homecare-citizens.json",
                ["Privacy:CitizenKeySecret"] = "end-to-end-tests",
            });
            builder.Services.AddSingleton<ILogEventSink>(Logs);
        });
        await Hub.StartAsync();
        var address = Hub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Hub.StopAsync();
        await Hub.DisposeAsync();
        await Hospital.DisposeAsync();
        if (_partnerFile is not null)
        {
            File.Delete(_partnerFile);
        }
    }

    /// <summary>POSTs a FHIR body to $process-message.</summary>
    public async Task<HttpResponseMessage> PostAsync(string body, string contentType = "application/fhir+json")
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        return await Http.PostAsync(new Uri("/fhir/$process-message", UriKind.Relative), content);
    }

    /// <summary>Reads the trace until <paramref name="done"/> holds (the flow is asynchronous), or fails after a while.</summary>
    public async Task<JsonNode> WaitForTraceAsync(string messageHeaderId, Func<JsonNode, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var response = await Http.GetAsync(new Uri($"/api/messages/{messageHeaderId}", UriKind.Relative));
            if (response.IsSuccessStatusCode)
            {
                last = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                if (done(last))
                {
                    return last;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Message {messageHeaderId} did not reach the expected state; last trace: {last?.ToJsonString() ?? "none"}");
    }

    /// <summary>Waits until the message's acknowledgement has been delivered.</summary>
    public Task<JsonNode> WaitForDeliveredAckAsync(string messageHeaderId) =>
        WaitForTraceAsync(messageHeaderId, t => t["acknowledgement"]?["delivered"]?.GetValue<bool>() == true);

    /// <summary>The embedded registry, with the MedCom examples' hospital switched to HTTP delivery to our endpoint.</summary>
    private static string WritePartnerFile(Uri hospitalEndpoint)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "embedded", "partners.json");
        var document = JsonNode.Parse(File.ReadAllText(source), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        foreach (var partner in document["partners"]!.AsArray())
        {
            if ((string?)partner!["id"] == HospitalPartnerId)
            {
                partner["delivery"] = new JsonObject { ["type"] = "Http", ["endpoint"] = hospitalEndpoint.ToString() };
            }
        }

        var path = Path.Combine(Path.GetTempPath(), $"hub-partners-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }
}

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
    private string? _partnerFile;

    public WebApplication Hub { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public HospitalEndpoint Hospital { get; private set; } = null!;
    public RabbitMqServer Rabbit { get; private set; } = null!;
    public CapturedLogs Logs { get; } = new();

    /// <summary>The hub's clock: tests move it forward to reach MedCom's deadlines (e.g. 30 minutes without an ACK).</summary>
    public AdjustableClock Clock { get; } = new();

    public IDbContextFactory<HubDbContext> Db => Hub.Services.GetRequiredService<IDbContextFactory<HubDbContext>>();

    public async Task InitializeAsync()
    {
        Rabbit = await SharedServers.RabbitMqAsync();
        var postgres = await SharedServers.PostgresAsync();
        Hospital = await HospitalEndpoint.StartAsync();
        (Hub, Http, _partnerFile) = await RunningHub.StartAsync(Rabbit, await postgres.CreateDatabaseAsync(), Hospital.Url, Logs, Clock);
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

    /// <summary>The hub's partner file (a copy of its own): tests add partners to it and have the hub reload it.</summary>
    public string PartnerFile => _partnerFile!;

    /// <summary>A client acting as a test user (<see cref="TestUsers"/>): <c>auditor</c>, or <c>municipal:{code}</c>; the default
    /// <see cref="Http"/> acts as the demo operator.</summary>
    public HttpClient HttpAs(string principal) => TestUsers.Client(Http.BaseAddress!, principal);

    public Task<HttpResponseMessage> PostAsync(string body, string contentType = "application/fhir+json") => Http.PostMessageAsync(body, contentType);

    public Task<JsonNode> WaitForTraceAsync(string messageHeaderId, Func<JsonNode, bool> done) => Http.WaitForTraceAsync(messageHeaderId, done);

    public Task<JsonNode> WaitForDeliveredAckAsync(string messageHeaderId) => Http.WaitForDeliveredAckAsync(messageHeaderId);
}

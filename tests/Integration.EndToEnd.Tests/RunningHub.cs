using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Integration.Host;
using Integration.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// One hub as it runs for real (RabbitMQ transport, PostgreSQL) in this process on a free port, with the MedCom
/// examples' hospital receiving its acknowledgements over HTTP at <paramref name="hospitalEndpoint"/>.
/// </summary>
public static class RunningHub
{
    public const string HospitalPartnerId = "herlev-gentofte-hjerteafdeling";

    /// <summary>API keys of two municipal units (Herlev 163, Aalborg 851) for the read APIs.</summary>
    public static readonly IReadOnlyDictionary<string, string> ApiKeys = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["herlev-plejecenter"] = "test-key-herlev-163",
        ["aalborg-hjemmesygepleje"] = "test-key-aalborg-851",
    };

    /// <summary>Partners whose messages go over HTTP to the test's endpoint: the examples' hospital, a GP and a municipal unit.</summary>
    public static readonly IReadOnlySet<string> HttpPartners = new HashSet<string>(StringComparer.Ordinal)
    {
        HospitalPartnerId, "arden-laegehus", "aabenraa-sundhedspleje",
    };

    public static async Task<(WebApplication Hub, HttpClient Http, string PartnerFile)> StartAsync(
        RabbitMqServer rabbit, string database, Uri hospitalEndpoint, ILogEventSink? logs = null, TimeProvider? clock = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var partnerFile = WritePartnerFile(hospitalEndpoint);
        var hub = HubApplication.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(Settings(rabbit, database, partnerFile)
                .Append(new("Municipal:HomeCareCitizensFile", "embedded/homecare-citizens.json"))
                .Select(kv => KeyValuePair.Create(kv.Key, (string?)kv.Value)));
            if (logs is not null)
            {
                builder.Services.AddSingleton(logs);
            }

            if (clock is not null)
            {
                builder.Services.AddSingleton(clock);
            }

            configure?.Invoke(builder);
        });
        await hub.StartAsync();
        var address = hub.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (hub, new HttpClient { BaseAddress = new Uri(address) }, partnerFile);
    }

    /// <summary>The settings that put a hub on this broker and database, with the given partner registry.</summary>
    public static Dictionary<string, string> Settings(RabbitMqServer rabbit, string database, string partnerFile)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        return new()
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = database,
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:RabbitMq:Host"] = rabbit.Host,
            ["Messaging:RabbitMq:Port"] = rabbit.AmqpPort.ToString(CultureInfo.InvariantCulture),
            ["Messaging:RabbitMq:VirtualHost"] = rabbit.VirtualHost,
            ["Messaging:RabbitMq:Username"] = rabbit.Username,
            ["Messaging:RabbitMq:Password"] = rabbit.Password,
            ["Partners:File"] = partnerFile,
            ["Privacy:CitizenKeySecret"] = "end-to-end-tests",
            ["Validation:PackagesFolder"] = MedComExamples.Packages,
            // Due resends are found quickly; when they are due is the (adjustable) clock's business.
            ["Ledger:SweepInterval"] = "00:00:00.250",
        };
    }

    /// <summary>The embedded registry, with <see cref="HttpPartners"/> switched to HTTP delivery.</summary>
    public static string WritePartnerFile(Uri hospitalEndpoint)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "embedded", "partners.json");
        var document = JsonNode.Parse(File.ReadAllText(source), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!;
        foreach (var partner in document["partners"]!.AsArray())
        {
            if (ApiKeys.TryGetValue((string?)partner!["id"] ?? "", out var apiKey))
            {
                partner["apiKeySha256"] = Integration.Partners.PartnerApiKeys.Hash(apiKey);
            }

            if (HttpPartners.Contains((string?)partner!["id"] ?? ""))
            {
                partner["delivery"] = new JsonObject { ["type"] = "Http", ["endpoint"] = hospitalEndpoint.ToString() };
            }
        }

        var path = Path.Combine(Path.GetTempPath(), $"hub-partners-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, document.ToJsonString());
        return path;
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Integration.Monitoring.Search;
using Integration.Privacy;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;
using Task = System.Threading.Tasks.Task;

namespace Integration.EndToEnd.Tests;

/// <summary>The dashboard's read APIs on the real hub: flow statistics, broker figures, search, trace and raw bodies,
/// each seen by an operator and by municipal users.</summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class DashboardTests(HubFixture hub)
{
    private const string Notification = "hospital-notification-message";
    private static readonly string[] AdmissionAndDischarge = ["a5e5b880", "f4aa42a4"];
    /// <summary>The flow counter's default settle delay, plus a second.</summary>
    private static readonly TimeSpan PastSettleDelay = TimeSpan.FromSeconds(31);

    [Fact]
    public async Task GivenPostedNotifications_WhenTheCounterHasRun_ThenTheOverviewCountsThemPerTypeAndMunicipality()
    {
        // A week, not an hour: earlier tests ran the clock ahead, so their messages could leave the last hour meanwhile.
        var before = await CountedOverviewAsync("operator");
        var beforeHerlev = await GetJsonAsync("/api/dashboard/overview?range=week", "municipal:163");
        var messages = AdmissionAndDischarge.Select(e => ExampleVariants.Fresh(MedComExamples.HospitalNotification(e))).ToList();
        foreach (var message in messages)
        {
            using var response = await hub.PostAsync(message.Json);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        foreach (var message in messages)
        {
            await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        }

        var after = await CountedOverviewAsync("operator");
        var afterHerlev = await GetJsonAsync("/api/dashboard/overview?range=week", "municipal:163");
        var lastHour = await GetJsonAsync("/api/dashboard/overview?range=hour", "operator");

        Assert.True(2 == Figure(after, "byType", Notification, "received") - Figure(before, "byType", Notification, "received"),
            $"clock offset {hub.Clock.Offset}; before {before["countedUntil"]} {before["byType"]}; after {after["countedUntil"]} {after["byType"]}");
        Assert.Equal(2, Figure(after, "byType", Notification, "processed") - Figure(before, "byType", Notification, "processed"));
        Assert.Equal(2, Figure(after, "byType", Notification, "acksDelivered") - Figure(before, "byType", Notification, "acksDelivered"));
        Assert.Equal(2, Figure(after, "byMunicipality", "163", "received") - Figure(before, "byMunicipality", "163", "received"));
        Assert.Equal(2, Figure(afterHerlev, "byType", Notification, "received") - Figure(beforeHerlev, "byType", Notification, "received"));
        Assert.Equal((60, 1), (lastHour["series"]!.AsArray().Count, (int)lastHour["bucketMinutes"]!));
        Assert.True(lastHour["series"]!.AsArray().Sum(p => (int)p!["received"]!) >= 2);
        Assert.Equal("163", (string?)afterHerlev["municipality"]);
        Assert.All(afterHerlev["byMunicipality"]!.AsArray(), b => Assert.Equal("163", (string?)b!["key"]));

        var aalborg = await GetJsonAsync("/api/dashboard/overview?range=week", "municipal:851");
        Assert.Equal((168, 60), (aalborg["series"]!.AsArray().Count, (int)aalborg["bucketMinutes"]!));
        Assert.All(aalborg["byMunicipality"]!.AsArray(), b => Assert.Equal("851", (string?)b!["key"]));
        Assert.Equal(0, Figure(aalborg, "byType", Notification, "received"));
        var day = await GetJsonAsync("/api/dashboard/overview?range=day", "operator");
        Assert.Equal((96, 15), (day["series"]!.AsArray().Count, (int)day["bucketMinutes"]!));
        Assert.True((int)lastHour["acks"]!["awaited"]! >= 0 && (double)lastHour["rate"]!["lastFiveMinutes"]! >= 0);
    }

    [Fact]
    public async Task GivenTheHubOnRabbitMq_WhenTheBrokerIsAskedFor_ThenTheManagementApiListsTheMunicipalityQueuesWithConsumers()
    {
        var broker = await GetJsonAsync("/api/dashboard/broker", "operator");

        Assert.Equal("rabbitmq-management", (string?)broker["source"]);
        Assert.True((bool)broker["healthy"]!, broker.ToJsonString());
        Assert.NotNull((string?)broker["broker"]!["version"]);
        var queues = broker["queues"]!.AsArray().ToDictionary(q => (string)q!["name"]!);
        foreach (var queue in new[] { "hub.router", "hub.outbound", "municipality.163", "municipality.851" })
        {
            Assert.True(queues.ContainsKey(queue), $"{queue} is missing");
            Assert.True((int)queues[queue]!["consumers"]! >= 1, $"{queue} has no consumer");
            Assert.NotNull(queues[queue]!["ready"]);
        }

        var herlev = await GetJsonAsync("/api/dashboard/broker", "municipal:163");
        var names = herlev["queues"]!.AsArray().Select(q => (string)q!["name"]!).ToList();
        Assert.Contains("municipality.163", names);
        Assert.All(names, n => Assert.True(n.StartsWith("municipality.163", StringComparison.Ordinal) || n.StartsWith("homecare.163", StringComparison.Ordinal), n));
        Assert.Null(herlev["broker"]);
    }

    [Fact]
    public async Task GivenTwoMessages_WhenSearchedByEachCriterion_ThenTheRightOnesAreFoundNewestFirstWithTheCitizenMasked()
    {
        // The hub's clock stands still: messages the hub received before this test are moved out of the window.
        hub.Clock.Advance(TimeSpan.FromSeconds(2));
        var from = hub.Clock.GetUtcNow().AddSeconds(-1);
        var admission = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        var discharge = ExampleVariants.Fresh(MedComExamples.HospitalNotification("f4aa42a4"));
        var betweenTheTwo = DateTimeOffset.MinValue;
        foreach (var message in new[] { admission, discharge })
        {
            using var response = await hub.PostAsync(message.Json);
            await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
            betweenTheTwo = betweenTheTwo == DateTimeOffset.MinValue ? hub.Clock.GetUtcNow() : betweenTheTwo;
        }

        var trace = await GetJsonAsync($"/api/messages/{admission.MessageHeaderId}", "operator");
        var since = $"from={Uri.EscapeDataString(from.ToString("O"))}";
        string[] both = [discharge.MessageHeaderId, admission.MessageHeaderId];

        var byId = await SearchAsync($"messageHeaderId={admission.MessageHeaderId}");
        var row = Assert.Single(byId);
        Assert.Equal(Cpr.Mask(admission.Cpr), (string?)row!["citizen"]);
        Assert.Equal(("STIN", "processed", "163"), ((string?)row["eventCode"], (string?)row["state"], (string?)row["municipality"]));
        Assert.Equal(both, Ids(await SearchAsync($"type={Notification}&{since}")));
        Assert.Equal([admission.MessageHeaderId], Ids(await SearchAsync($"eventCode=STIN&{since}")));
        Assert.Equal([discharge.MessageHeaderId], Ids(await SearchAsync($"eventCode=slhj&{since}")));
        foreach (var party in new[] { "sender", "receiver" })
        {
            var p = trace[party]!;
            foreach (var value in new[] { (string)p["partnerId"]!, (string)p["ean"]!, (string)p["sor"]!, ((string)p["name"]!)[2..12].ToUpperInvariant() })
            {
                // Of this type: partners' acknowledgements of what earlier tests sent arrive in the background, from the same hospital.
                Assert.Equal(both, Ids(await SearchAsync($"{party}={Uri.EscapeDataString(value)}&type={Notification}&{since}")));
            }
        }

        Assert.Empty(await SearchAsync($"sender=no-such-partner&{since}"));
        Assert.Equal(both, Ids(await SearchAsync($"state=processed&type={Notification}&{since}")));
        Assert.Empty(await SearchAsync($"state=failed&type={Notification}&{since}"));
        // A window closed between the two posts: partners' background ACKs may fall in any window, so only these two are asserted.
        Assert.Equal([admission.MessageHeaderId], Ids(await SearchAsync($"type={Notification}&{since}&to={Uri.EscapeDataString(betweenTheTwo.ToString("O"))}")));

        var first = await GetJsonAsync($"/api/messages?limit=1&type={Notification}&{since}", "operator");
        var second = await GetJsonAsync($"/api/messages?limit=1&type={Notification}&{since}&before={first["next"]}", "operator");
        Assert.Equal(both, Ids(first["items"]!.AsArray()).Concat(Ids(second["items"]!.AsArray())).ToArray());
        Assert.DoesNotContain(admission.Cpr, first.ToJsonString() + second.ToJsonString(), StringComparison.Ordinal);

        Assert.Equal(both, Ids(await SearchAsync($"type={Notification}&{since}", "municipal:163")));
        Assert.Empty(await SearchAsync($"type={Notification}&{since}", "municipal:851"));
    }

    [Fact]
    public async Task GivenAMessageOfHerlev_WhenAalborgAsksForItsTraceOrRawBody_ThenItIsNotFound()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        using var response = await hub.PostAsync(message.Json);
        await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);

        foreach (var path in new[] { $"/api/messages/{message.MessageHeaderId}", $"/api/messages/{message.MessageHeaderId}/raw" })
        {
            Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(path, "municipal:851"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(path, "municipal:163"));
            Assert.Equal(HttpStatusCode.OK, await StatusAsync(path, "auditor"));
        }
    }

    [Fact]
    public async Task GivenAMessageSentTwice_WhenItsTraceIsRead_ThenItShowsTheWholePathAndTheResend()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("f4aa42a4"));
        using (var first = await hub.PostAsync(message.Json))
        {
            await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        }

        using var resend = await hub.PostAsync(ExampleVariants.Resend(message).Json);
        var trace = await hub.WaitForTraceAsync(message.MessageHeaderId,
            t => t["history"]!.AsArray().Count(s => (string?)s!["step"] == "ack-delivered") == 2);

        var steps = trace["history"]!.AsArray().Select(s => (string)s!["step"]!).ToList();
        var at = -1;
        foreach (var step in new[] { "received", "validated", "routed", "processed", "ack-delivered", "duplicate", "ack-resent", "ack-delivered" })
        {
            at = steps.IndexOf(step, at + 1);
            Assert.True(at >= 0, $"{step} missing, or out of order, in {string.Join(", ", steps)}");
        }

        Assert.Contains("ack-created", steps);
        Assert.Equal(2, trace["bundleIds"]!.AsArray().Count);
    }

    [Fact]
    public async Task GivenJsonAndXmlBodies_WhenTheRawBodyIsRead_ThenEveryBodyIsThereWithTheCprMasked()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("h1c8e4a8"));
        var xml = new FhirXmlSerializer().SerializeToString(new FhirJsonDeserializer().Deserialize<Bundle>(ExampleVariants.Resend(message).Json));
        using (var json = await hub.PostAsync(message.Json))
        {
            await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        }

        using (var resent = await hub.PostAsync(xml, "application/fhir+xml"))
        {
            Assert.Equal(HttpStatusCode.Accepted, resent.StatusCode);
        }

        var raw = await GetJsonAsync($"/api/messages/{message.MessageHeaderId}/raw", "operator");

        var bodies = raw["bodies"]!.AsArray();
        Assert.Equal(["accepted", "duplicate"], bodies.Select(b => (string)b!["outcome"]!).ToArray());
        Assert.Equal(["application/fhir+json", "application/fhir+xml"], bodies.Select(b => ((string)b!["contentType"]!).Split(';')[0]).ToArray());
        var all = raw.ToJsonString();
        Assert.False(all.Contains(message.Cpr, StringComparison.Ordinal), "the citizen's CPR number is in the raw bodies");
        Assert.False(all.Contains(ExampleVariants.ExampleCpr, StringComparison.Ordinal), "the example's CPR number is in the raw bodies");
        Assert.All(bodies, b => Assert.Contains(Cpr.Mask(message.Cpr), (string)b!["body"]!, StringComparison.Ordinal));
        Assert.Contains("<Bundle", (string)bodies[1]!["body"]!, StringComparison.Ordinal);
        // The JSON body is stored once, as the message's JSON, and read back byte for byte (masked as any body is).
        Assert.Equal(RawBodies.Mask(message.Json, message.Cpr), (string)bodies[0]!["body"]!);
        await using var db = await hub.Db.CreateDbContextAsync();
        var stored = await db.RawMessages.AsNoTracking()
            .Where(r => db.Messages.Any(m => m.Id == r.MessageId && m.MessageHeaderId == message.MessageHeaderId))
            .OrderBy(r => r.ReceivedAt).Select(r => r.Body).ToListAsync();
        Assert.Null(stored[0]);
        Assert.NotNull(stored[1]);
    }

    /// <summary>Moves the clock past the counter's settle delay and waits until everything so far is counted.</summary>
    private async Task<JsonNode> CountedOverviewAsync(string principal)
    {
        var everythingSoFar = hub.Clock.GetUtcNow();
        hub.Clock.Advance(PastSettleDelay);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var overview = await GetJsonAsync("/api/dashboard/overview?range=week", principal);
            if (overview["countedUntil"] is { } counted && counted.GetValue<DateTimeOffset>() >= everythingSoFar)
            {
                return overview;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the counter did not reach {everythingSoFar:O}: {overview["countedUntil"]}");
            await Task.Delay(100);
        }
    }

    private static int Figure(JsonNode overview, string breakdown, string key, string figure) =>
        overview[breakdown]!.AsArray().FirstOrDefault(b => (string?)b!["key"] == key)?["totals"]![figure]!.GetValue<int>() ?? 0;

    private static List<string> Ids(IEnumerable<JsonNode?> rows) => [.. rows.Select(r => (string)r!["messageHeaderId"]!)];

    private async Task<JsonArray> SearchAsync(string query, string principal = "operator") =>
        (await GetJsonAsync($"/api/messages?{query}", principal))["items"]!.AsArray();

    private async Task<JsonNode> GetJsonAsync(string path, string principal)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)).As(principal);
        using var response = await hub.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    private async Task<HttpStatusCode> StatusAsync(string path, string principal)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)).As(principal);
        using var response = await hub.Http.SendAsync(request);
        return response.StatusCode;
    }
}

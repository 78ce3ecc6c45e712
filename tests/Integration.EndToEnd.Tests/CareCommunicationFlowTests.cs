using System.Net;
using System.Text.Json.Nodes;
using Integration.Fhir;
using Integration.Testing;

namespace Integration.EndToEnd.Tests;

/// <summary>CareCommunication 5.0.2 in both directions: hospital ↔ municipality and GP ↔ municipality, with conversations
/// kept per thread, categories preserved and the acknowledgement flow.</summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class CareCommunicationFlowTests(HubFixture hub)
{
    private static readonly string[] Activities = ["new", "reply", "forward"];
    private static readonly string[] IgThread = ["add5e7e2", "b56549f7", "3dcb5618"];
    private const string ArdenGpEan = "5790001387419";
    private const string ArdenGpSor = "382871000016004";
    private const string HerlevHospitalEan = "5790000209354";
    private const string HerlevHospitalSor = "265161000016000";

    [Fact]
    public async Task GivenAHospitalsCareCommunicationToAMunicipality_WhenPosted_ThenItJoinsTheConversationAndIsAcknowledgedOk()
    {
        var message = ExampleVariants.Fresh(MedComExamples.CareCommunication("0d5b3c18"));

        using var response = await hub.PostAsync(message.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        Assert.Equal("processed", (string?)trace["state"]);
        Assert.Equal("163", (string?)trace["municipality"]);
        Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
        Assert.False(string.IsNullOrEmpty((string?)trace["conversationId"]));
        Assert.Contains((string?)trace["eventCode"], Activities);
        var category = CategoryOf(JsonNode.Parse(message.Json)!);
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "processed" && ((string?)s["detail"])!.Contains($"({category})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenAMunicipalitysMessageToTheHospital_WhenPosted_ThenSentOnTrackedAndSettledByTheHospitalsAck()
    {
        var message = ExampleVariants.Fresh(MedComExamples.CareCommunication("b56549f7"));

        using var response = await hub.PostAsync(message.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForTraceAsync(message.MessageHeaderId, t => (string?)t["sending"]?["state"] == "awaiting-ack");
        Assert.Equal("processed", (string?)trace["state"]);
        Assert.Null(trace["acknowledgement"]); // the hospital acknowledges it, not the hub
        var delivered = Assert.Single(hub.Hospital.MessagesWithHeader(message.MessageHeaderId));
        Assert.Equal(CategoryOf(JsonNode.Parse(message.Json)!), CategoryOf(delivered));
        Assert.Equal(message.BundleId, (string?)delivered["id"]);

        var hospitalAck = PartnerAcknowledgements.For(delivered.ToJsonString(), AcknowledgementCode.Ok);
        using (var ackResponse = await hub.PostAsync(hospitalAck.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, ackResponse.StatusCode);
        }

        trace = await hub.WaitForTraceAsync(message.MessageHeaderId, t => (string?)t["sending"]?["state"] == "acknowledged");
        Assert.Equal("ok", (string?)trace["sending"]!["ackCode"]);
        var ackTrace = await hub.WaitForTraceAsync(hospitalAck.MessageHeaderId, t => (string?)t["state"] == "processed");
        Assert.Contains(ackTrace["history"]!.AsArray(), s => (string?)s!["step"] == "ack-matched");
        Assert.Null(ackTrace["acknowledgement"]);
    }

    [Fact]
    public async Task GivenAHospitalsMessageToAGp_WhenPosted_ThenRelayedAndTheGpsAckGoesBackToTheHospitalUnchanged()
    {
        var message = ExampleVariants.Fresh(MedComExamples.CareCommunication("R-Tek-E"));

        using var response = await hub.PostAsync(message.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForTraceAsync(message.MessageHeaderId, t => (string?)t["sending"]?["state"] == "awaiting-ack");
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "relayed");
        var delivered = Assert.Single(hub.Hospital.MessagesWithHeader(message.MessageHeaderId)); // the GP's endpoint in this test

        var gpAck = PartnerAcknowledgements.For(delivered.ToJsonString(), AcknowledgementCode.Ok);
        using (var ackResponse = await hub.PostAsync(gpAck.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, ackResponse.StatusCode);
        }

        await hub.WaitForTraceAsync(message.MessageHeaderId, t =>
            (string?)t["sending"]?["state"] == "acknowledged" && hub.Hospital.AcknowledgementsFor(message.MessageHeaderId).Count == 1);
        var relayed = Assert.Single(hub.Hospital.AcknowledgementsFor(message.MessageHeaderId));
        Assert.Equal(gpAck.BundleId, (string?)relayed["id"]);
        Assert.Equal(JsonNode.Parse(gpAck.Json)!.ToJsonString(), relayed.ToJsonString());
    }

    [Fact]
    public async Task GivenAGpsMessageToAMunicipality_WhenPosted_ThenKeptAndTheGpGetsTheAck()
    {
        var fromHospital = ExampleVariants.Fresh(MedComExamples.CareCommunication("0d5b3c18"));
        var fromGp = ExampleVariants.Replace(ExampleVariants.Replace(fromHospital, HerlevHospitalEan, ArdenGpEan), HerlevHospitalSor, ArdenGpSor);

        using var response = await hub.PostAsync(fromGp.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForDeliveredAckAsync(fromGp.MessageHeaderId);
        Assert.Equal("processed", (string?)trace["state"]);
        Assert.Equal("arden-laegehus", (string?)trace["sender"]!["partnerId"]);
        Assert.Equal("ok", (string?)Assert.Single(hub.Hospital.AcknowledgementsFor(fromGp.MessageHeaderId))["entry"]![0]!["resource"]!["response"]!["code"]);
    }

    [Fact]
    public async Task GivenAMunicipalitysMessageToAGp_WhenPosted_ThenItGoesToTheGpsQueueAndAwaitsItsAck()
    {
        var message = ExampleVariants.Fresh(MedComExamples.CareCommunication("R-Tek-G"));

        using var response = await hub.PostAsync(message.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForTraceAsync(message.MessageHeaderId, t => (string?)t["sending"]?["state"] == "awaiting-ack");
        Assert.Equal("laegehuset-oesterbro", (string?)trace["sending"]!["receiver"]);
        Assert.Equal("580", (string?)trace["municipality"]);
        Assert.True(await hub.Rabbit.QueueMessageCountAsync("partner.laegehuset-oesterbro") >= 1);
    }

    [Fact]
    public async Task GivenANewMessageAReplyAndAReplyBack_WhenPosted_ThenAllThreeAreOneConversation()
    {
        // MedCom's IG thread: the hospital writes (add5e7e2), the municipality replies (b56549f7), the hospital replies
        // again (3dcb5618). Fresh ids for the thread and the three messages, mapped consistently so the replies still
        // point at their predecessors.
        var ids = new Dictionary<string, string>
        {
            ["b2eb3d0e-5de5-4de9-b2a3-0ff321ad1c3a"] = Guid.NewGuid().ToString(), // the thread
            ["42cb9200-f421-4d08-8391-7d51a2503cb4"] = Guid.NewGuid().ToString(),
            ["d5bd2111-2576-48d3-84d4-8be0297a038d"] = Guid.NewGuid().ToString(),
            ["4dff3695-218d-4878-838a-5f23cbba6f82"] = Guid.NewGuid().ToString(),
        };
        var thread = IgThread.Select(prefix =>
        {
            var json = MedComExamples.CareCommunication(prefix);
            var bundleId = (string)JsonNode.Parse(json)!["id"]!;
            json = ids.Aggregate(json, (text, id) => text.Replace(id.Key, id.Value, StringComparison.Ordinal))
                .Replace(bundleId, Guid.NewGuid().ToString(), StringComparison.Ordinal);
            return (Json: json, HeaderId: (string)JsonNode.Parse(json)!["entry"]![0]!["resource"]!["id"]!);
        }).ToList();

        var traces = new List<JsonNode>();
        foreach (var (json, headerId) in thread)
        {
            using var response = await hub.PostAsync(json);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            traces.Add(await hub.WaitForTraceAsync(headerId, t => (string?)t["state"] == "processed" && t["conversationId"] is not null));
        }

        Assert.Equal(["new", "reply", "reply"], traces.Select(t => (string?)t["eventCode"]));
        Assert.Single(traces.Select(t => (string?)t["conversationId"]).Distinct());
        Assert.Equal(ids["b2eb3d0e-5de5-4de9-b2a3-0ff321ad1c3a"], ((string?)traces[0]["conversationId"])!.Replace("urn:uuid:", "", StringComparison.Ordinal));
        Assert.All(traces, t => Assert.Contains(t["history"]!.AsArray(), s => ((string?)s!["detail"])?.Contains("(examination-results)", StringComparison.Ordinal) == true));
        Assert.NotNull(traces[1]["sending"]); // the municipality's reply went on to the hospital
    }

    private static string? CategoryOf(JsonNode bundle) =>
        bundle["entry"]!.AsArray()
            .Select(e => e!["resource"]!)
            .Where(r => (string?)r["resourceType"] == "Communication")
            .Select(r => (string?)r["category"]?[0]?["coding"]?[0]?["code"])
            .FirstOrDefault();
}

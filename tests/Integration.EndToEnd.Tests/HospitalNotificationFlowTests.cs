using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Integration.Persistence.Stays;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;
using Task = System.Threading.Tasks.Task;

namespace Integration.EndToEnd.Tests;

/// <summary>hospital → ingress → RabbitMQ → router → municipality → acknowledgement back over HTTP.</summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class HospitalNotificationFlowTests(HubFixture hub)
{
    /// <summary>MedCom's story: admission (STIN), leave (STOR), return (SLOR), discharge (SLHJ).</summary>
    private static readonly string[] AdmissionLeaveReturnDischarge = ["a5e5b880", "d3128d9b", "e94de8ee", "f4aa42a4"];
    private static readonly string[] AlertsForTheStory = ["Admitted", "LeaveStarted", "LeaveEnded", "Discharged"];

    /// <summary>Every MedCom HospitalNotification example, with the stay state its event implies.</summary>
    public static TheoryData<string, string, StayState> Examples => new()
    {
        { "a5e5b880", "STIN", StayState.Admitted },
        { "bfab3e80", "RE_STIN", StayState.Admitted },
        { "c83671a4", "AN_STIN", StayState.Cancelled },
        { "d3128d9b", "STOR", StayState.OnLeave },
        { "e94de8ee", "SLOR", StayState.Admitted },
        { "f4aa42a4", "SLHJ", StayState.Discharged },
        { "g099bbf3", "MORS", StayState.Deceased },
        { "h1c8e4a8", "STAA", StayState.AcuteAmbulant },
        { "kcab461b", "SLHJ", StayState.Discharged },
        { "ld31e08a", "MORS", StayState.Deceased },
        { "m908i967", "STIN", StayState.Admitted },
        { "n73ccf30", "STIN", StayState.Admitted },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task GivenMedComExample_WhenPosted_ThenStayHasTheEventsStateAndHospitalGetsOkAck(string example, string eventCode, StayState expected)
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification(example));

        using var response = await hub.PostAsync(message.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/messages/{message.MessageHeaderId}", response.Headers.Location?.ToString());
        var trace = await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        Assert.Equal("processed", (string?)trace["state"]);
        Assert.Equal(eventCode, (string?)trace["eventCode"]);
        Assert.Equal("163", (string?)trace["municipality"]);
        Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
        Assert.Equal("http", (string?)trace["acknowledgement"]!["channel"]);
        Assert.DoesNotContain(message.Cpr, trace.ToJsonString(), StringComparison.Ordinal);

        var stay = await StayOfAsync(message.Cpr);
        Assert.Equal(expected, stay.State);
        Assert.Equal(eventCode.StartsWith("RE_", StringComparison.Ordinal), stay.Corrected);

        var ack = Assert.Single(hub.Hospital.AcknowledgementsFor(message.MessageHeaderId));
        var header = ack["entry"]![0]!["resource"]!;
        Assert.Equal("acknowledgement-message", (string?)header["eventCoding"]!["code"]);
        Assert.Equal("ok", (string?)header["response"]!["code"]);
        Assert.Equal((string?)trace["acknowledgement"]!["messageHeaderId"], (string?)header["id"]);
    }

    [Fact]
    public async Task GivenAdmissionLeaveReturnDischarge_WhenPostedInOrder_ThenHomeCareGetsAMatchingAlertForEach()
    {
        // MedCom's own story for its fictive citizen, who is known to Herlev's home care in the embedded data.
        var story = AdmissionLeaveReturnDischarge
            .Select(e => ExampleVariants.Fresh(MedComExamples.HospitalNotification(e), ExampleVariants.ExampleCpr))
            .ToList();
        // A fresh stay identifier keeps this story apart from other tests that use the same citizen.
        var stayId = Guid.NewGuid().ToString();
        story = [.. story.Select(m => ExampleVariants.Replace(m, "bd481c38-a921-11ed-afa1-0242ac120002", stayId))];

        foreach (var message in story)
        {
            using var response = await hub.PostAsync(message.Json);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        }

        var alerts = await HomeCareAlertsAsync("163", story.Select(m => m.MessageHeaderId).ToHashSet(), expected: 4);
        Assert.Equal(AlertsForTheStory, alerts.Select(a => a.Kind));
        Assert.All(alerts, a => Assert.Equal(ExampleVariants.ExampleCpr, a.Cpr));

        await using var db = await hub.Db.CreateDbContextAsync();
        var stay = await db.HospitalStays.SingleAsync(s => s.StayIdentifier == stayId);
        Assert.Equal(StayState.Discharged, stay.State);
    }

    [Fact]
    public async Task GivenCitizenUnknownToHomeCare_WhenAdmitted_ThenNoAlertButTheStayIsKept()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));

        using var response = await hub.PostAsync(message.Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);

        Assert.DoesNotContain(trace["history"]!.AsArray(), step => (string?)step!["step"] == "homecare-alert");
        Assert.Equal(StayState.Admitted, (await StayOfAsync(message.Cpr)).State);
    }

    [Fact]
    public async Task GivenDischargeBeforeAdmission_WhenBothApplied_ThenStayIsDischargedAndNothingIsLost()
    {
        var cpr = ExampleVariants.NewCpr();
        var admission = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"), cpr);
        var discharge = ExampleVariants.Fresh(MedComExamples.HospitalNotification("f4aa42a4"), cpr);

        using (var first = await hub.PostAsync(discharge.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        await hub.WaitForDeliveredAckAsync(discharge.MessageHeaderId);
        Assert.Equal(StayState.Discharged, (await StayOfAsync(cpr)).State);
        using (var second = await hub.PostAsync(admission.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        }

        await hub.WaitForDeliveredAckAsync(admission.MessageHeaderId);
        var stay = await StayOfAsync(cpr);
        Assert.Equal(StayState.Discharged, stay.State);
        Assert.Equal(2, stay.Events.Count);
        Assert.NotNull(stay.StartedAt);
        Assert.NotNull(stay.EndedAt);
    }

    [Fact]
    public async Task GivenOneCitizensNotificationsPostedAtOnce_WhenApplied_ThenTheFinalStateFollowsTheEvents()
    {
        var cpr = ExampleVariants.NewCpr();
        var messages = AdmissionLeaveReturnDischarge
            .Select(e => ExampleVariants.Fresh(MedComExamples.HospitalNotification(e), cpr)).ToList();

        var posts = await Task.WhenAll(messages.Select(m => hub.PostAsync(m.Json)));
        Assert.All(posts, p => Assert.Equal(HttpStatusCode.Accepted, p.StatusCode));
        foreach (var post in posts)
        {
            post.Dispose();
        }

        foreach (var message in messages)
        {
            await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        }

        var stay = await StayOfAsync(cpr);
        Assert.Equal(StayState.Discharged, stay.State);
        Assert.Equal(4, stay.Events.Count);
    }

    [Fact]
    public async Task GivenResendWithNewBundleId_WhenPosted_ThenNothingIsAppliedTwiceAndTheSameAckIsSentAgain()
    {
        var original = ExampleVariants.Fresh(MedComExamples.HospitalNotification("d3128d9b"));
        using (var first = await hub.PostAsync(original.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        var firstTrace = await hub.WaitForDeliveredAckAsync(original.MessageHeaderId);
        var resend = ExampleVariants.Resend(original);

        using var response = await hub.PostAsync(resend.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForTraceAsync(original.MessageHeaderId, t =>
            hub.Hospital.AcknowledgementsFor(original.MessageHeaderId).Count == 2 && t["duplicates"]!.GetValue<int>() == 1);
        Assert.Equal(2, trace["bundleIds"]!.AsArray().Count);
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "duplicate");
        var acks = hub.Hospital.AcknowledgementsFor(original.MessageHeaderId);
        Assert.Equal(acks[0]!["id"]!.ToString(), acks[1]!["id"]!.ToString());
        Assert.Equal(acks[0]!.ToJsonString(), acks[1]!.ToJsonString());
        Assert.Equal((string?)firstTrace["acknowledgement"]!["bundleId"], (string?)acks[1]!["id"]);

        var stay = await StayOfAsync(original.Cpr);
        Assert.Single(stay.Events);
        await using var db = await hub.Db.CreateDbContextAsync();
        Assert.Equal(1, await db.Inbox.CountAsync(i => i.MessageHeaderId == original.MessageHeaderId));
        Assert.Equal(2, await db.RawMessages.CountAsync(r => db.Messages.Any(m => m.Id == r.MessageId && m.MessageHeaderId == original.MessageHeaderId)));
    }

    [Fact]
    public async Task GivenUnknownReceiver_WhenPosted_ThenParkedWithFatalErrorAckNamingTheReceiver()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        message = ExampleVariants.Replace(message, "5790001348120", "5790000000005");
        message = ExampleVariants.Replace(message, "953741000016009", "999999999999999");

        using var response = await hub.PostAsync(message.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        Assert.Equal("parked", (string?)trace["state"]);
        Assert.Equal("fatal-error", (string?)trace["acknowledgement"]!["code"]);
        Assert.Equal("MSG_Receiver_Identifier_UNKNOWN", (string?)trace["acknowledgement"]!["issueCode"]);
        var ack = Assert.Single(hub.Hospital.AcknowledgementsFor(message.MessageHeaderId));
        Assert.Equal("fatal-error", (string?)ack["entry"]![0]!["resource"]!["response"]!["code"]);
        Assert.Contains("MSG_Receiver_Identifier_UNKNOWN", ack.ToJsonString(), StringComparison.Ordinal);
        await using var db = await hub.Db.CreateDbContextAsync();
        Assert.False(await db.HospitalStays.AnyAsync(s => s.CitizenCpr == message.Cpr));
    }

    [Theory]
    [InlineData("{\"resourceType\":\"Bundle\",\"type\":\"message\",\"entry\":[", "application/fhir+json")]
    [InlineData("{\"resourceType\":\"Patient\",\"id\":\"x\"}", "application/fhir+json")]
    [InlineData("{\"resourceType\":\"Bundle\",\"id\":\"b\",\"type\":\"collection\"}", "application/fhir+json")]
    [InlineData("<Bundle xmlns=\"http://hl7.org/fhir\"><id value=\"x\"/>", "application/fhir+xml")]
    [InlineData("this is not FHIR", "text/plain")]
    public async Task GivenBodyThatIsNotAMessageBundle_WhenPosted_Then400WithOperationOutcomeAndTheBodyIsKept(string body, string contentType)
    {
        using var response = await hub.PostAsync(body, contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("OperationOutcome", (string?)outcome["resourceType"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)outcome["issue"]![0]!["diagnostics"]));
        await using var db = await hub.Db.CreateDbContextAsync();
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        var kept = await db.RawMessages.Where(r => r.Outcome == "rejected").Select(r => r.Body).ToListAsync();
        Assert.Contains(kept, k => k.AsSpan().SequenceEqual(bytes));
    }

    [Fact]
    public async Task GivenXmlBody_WhenPosted_ThenItFlowsLikeJson()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("h1c8e4a8"));
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(message.Json);
        var xml = new FhirXmlSerializer().SerializeToString(bundle);

        using var response = await hub.PostAsync(xml, "application/fhir+xml");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        Assert.Equal("STAA", (string?)trace["eventCode"]);
        Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
        Assert.Equal(StayState.AcuteAmbulant, (await StayOfAsync(message.Cpr)).State);
        await using var db = await hub.Db.CreateDbContextAsync();
        var raw = await db.RawMessages.SingleAsync(r => db.Messages.Any(m => m.Id == r.MessageId && m.MessageHeaderId == message.MessageHeaderId));
        Assert.Equal("application/fhir+xml", raw.ContentType);
        Assert.NotNull(raw.Body); // XML keeps its own bytes; only a JSON body is stored once, as the message's JSON
        Assert.Equal(xml, System.Text.Encoding.UTF8.GetString(raw.Body));
    }

    [Fact]
    public async Task GivenHospitalEndpointFailsTwice_WhenAckIsDelivered_ThenRetriesAndTheTraceShowsItDelivered()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        var failuresBefore = hub.Hospital.FailedRequests;
        hub.Hospital.FailNext(2);

        using var response = await hub.PostAsync(message.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        Assert.True(hub.Hospital.FailedRequests - failuresBefore >= 2);
        Assert.Single(hub.Hospital.AcknowledgementsFor(message.MessageHeaderId));
        Assert.True(trace["acknowledgement"]!["delivered"]!.GetValue<bool>());
    }

    [Fact]
    public async Task GivenBrokerAndDatabase_WhenHealthIsAsked_ThenLiveAndReady()
    {
        using var live = await hub.Http.GetAsync(new Uri("/health/live", UriKind.Relative));
        using var ready = await hub.Http.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", (string?)report["status"]);
        var checks = report["checks"]!.AsArray().Select(c => (string?)c!["name"]).ToList();
        Assert.Contains("database", checks);
        Assert.Contains(checks, c => c!.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task GivenUnknownMessageId_WhenTraced_Then404()
    {
        using var response = await hub.Http.GetAsync(new Uri($"/api/messages/{Guid.NewGuid()}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private async Task<HospitalStay> StayOfAsync(string cpr)
    {
        await using var db = await hub.Db.CreateDbContextAsync();
        return await db.HospitalStays.Include(s => s.Events).SingleAsync(s => s.CitizenCpr == cpr);
    }

    private async Task<List<(string Kind, string Cpr, string MessageHeaderId)>> HomeCareAlertsAsync(string municipality, HashSet<string> messageIds, int expected)
    {
        var found = new List<(string, string, string)>();
        var factory = hub.Rabbit.CreateConnectionFactory();
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (found.Count < expected && DateTime.UtcNow < deadline)
        {
            var result = await channel.BasicGetAsync($"homecare.{municipality}", autoAck: false);
            if (result is null)
            {
                await Task.Delay(100);
                continue;
            }

            // Only this test reads the home-care queue; alerts raised by other tests' messages are dropped here.
            var alert = JsonNode.Parse(result.Body.Span)!["message"]!;
            var id = (string)alert["messageHeaderId"]!;
            if (messageIds.Contains(id))
            {
                found.Add((alert["kind"]!.ToString(), (string)alert["citizenCpr"]!, id));
            }

            await channel.BasicAckAsync(result.DeliveryTag, multiple: false);
        }

        return found;
    }
}

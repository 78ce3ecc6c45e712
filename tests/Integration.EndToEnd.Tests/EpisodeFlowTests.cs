using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integration.Fhir;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;

namespace Integration.EndToEnd.Tests;

/// <summary>Issue 4 on the real hub: a hospital's training plan opens a rehabilitation episode in the municipality, the
/// hospital is told it was received (an episode-status message tracked by the ACK ledger), the plan shows on the
/// municipal worklist with its start deadline, and the hospital's cancellation (AN_) cancels it and is reported back.</summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class EpisodeFlowTests(HubFixture hub)
{
    private const string ExamplePlanId = "ab592b56-e8aa-44e2-97e8-efa9d6cc8b9b";
    private const string ExampleCpr = "0101909100";
    private const string HospitalSor = "265161000016000";
    /// <summary>The citizen's GP in the plan examples (Patient.generalPractitioner), an HTTP partner in the fixture.</summary>
    private const string GpSor = "382871000016004";

    [Fact]
    public async Task GivenATrainingPlan_WhenPostedAndLaterCancelled_ThenTheEpisodeOpensIsReportedListedAndCancelled()
    {
        var planId = Guid.NewGuid().ToString();
        var cpr = ExampleVariants.NewCpr();
        var plan = Variant("training-plan-new.json", planId, cpr);
        var cancellation = Variant("training-plan-cancelled.json", planId, cpr);

        using (var response = await hub.PostAsync(plan.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var trace = await hub.WaitForDeliveredAckAsync(plan.MessageHeaderId);
        Assert.Equal("processed", (string?)trace["state"]);
        Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "processed" && ((string?)s["detail"])!.Contains("opened", StringComparison.Ordinal));
        var received = await StatusMessagesAsync(planId, "received");
        Assert.Single(received);

        var worklist = await hub.Http.GetFromJsonAsync<JsonNode>(new Uri("/api/municipalities/163/worklist", UriKind.Relative));
        var waiting = Assert.Single(worklist!["waitingToStart"]!.AsArray(), w => (string?)w!["citizen"] == $"{cpr[..6]}-****");
        Assert.Equal("2025-03-17", (string?)waiting!["startDeadline"]); // discharge 2025-03-10 + 7 days
        Assert.Contains(worklist["overdue"]!.AsArray(), w => (string?)w!["episodeId"] == (string?)waiting["episodeId"]);

        using (var response = await hub.PostAsync(cancellation.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var cancelled = await hub.WaitForDeliveredAckAsync(cancellation.MessageHeaderId);
        Assert.Contains(cancelled["history"]!.AsArray(), s => ((string?)s!["detail"])?.Contains("cancelled", StringComparison.Ordinal) == true);
        Assert.Single(await StatusMessagesAsync(planId, "cancelled"));
        worklist = await hub.Http.GetFromJsonAsync<JsonNode>(new Uri("/api/municipalities/163/worklist", UriKind.Relative));
        Assert.DoesNotContain(worklist!["waitingToStart"]!.AsArray(), w => (string?)w!["episodeId"] == (string?)waiting["episodeId"]);
    }

    [Fact]
    public async Task GivenAnOpenEpisode_WhenStaffPlanStartRevisitAndComplete_ThenTheRulesHoldAndTheHospitalHearsEachStep()
    {
        var planId = Guid.NewGuid().ToString();
        var cpr = ExampleVariants.NewCpr();
        var plan = Variant("training-plan-new.json", planId, cpr);
        using (var response = await hub.PostAsync(plan.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await hub.WaitForDeliveredAckAsync(plan.MessageHeaderId);
        var worklist = await hub.Http.GetFromJsonAsync<JsonNode>(new Uri("/api/municipalities/163/worklist", UriKind.Relative));
        var episodeId = (string?)worklist!["waitingToStart"]!.AsArray().Single(w => (string?)w!["citizen"] == $"{cpr[..6]}-****")!["episodeId"];
        var episode = $"/api/municipalities/163/episodes/{episodeId}";

        using (var late = await PostAsync($"{episode}/plan-start", new { plannedStart = "2025-03-20" })) // after the deadline, no reason
        {
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
            Assert.Contains("needs a reason", await late.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var planned = await PostAsync($"{episode}/plan-start", new { plannedStart = "2025-03-14" }))
        {
            Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        }

        Assert.NotEmpty(await StatusMessagesAsync(planId, "planned"));
        using (var started = await PostAsync($"{episode}/start", new { }))
        {
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        }

        Assert.NotEmpty(await StatusMessagesAsync(planId, "active"));
        using (var goal = await PostAsync($"{episode}/goals", new { text = "walk to the supermarket" }))
        {
            Assert.Equal(HttpStatusCode.OK, goal.StatusCode);
        }

        using (var early = await PostAsync($"{episode}/complete", new { }))
        {
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode); // no revisitation yet
            Assert.Contains("revisitation", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var revisited = await PostAsync($"{episode}/revisitation", new { outcome = "ReducedHelp", note = "help twice a week instead of daily" }))
        {
            Assert.Equal(HttpStatusCode.OK, revisited.StatusCode);
        }

        using var completed = await PostAsync($"{episode}/complete", new { });
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var body = JsonNode.Parse(await completed.Content.ReadAsStringAsync())!;
        Assert.Equal("Completed", (string?)body["state"]);
        Assert.Equal("walk to the supermarket", (string?)body["goals"]![0]!["text"]);
        var finished = Assert.Single(await StatusMessagesAsync(planId, "finished"));
        Assert.Contains("reduced-help", finished.ToJsonString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GivenAGpsReferral_WhenPosted_ThenAnEpisodeOpensInTheMunicipalityAndTheGpHearsItWasReceived()
    {
        var referralId = Guid.NewGuid().ToString();
        var cpr = ExampleVariants.NewCpr();
        var json = File.ReadAllText(Path.Combine(MedComExamples.RepositoryRoot, "contracts", "examples", "referral-diabetes.json"))
            .Replace("eb7c1605-3be7-4cd5-b17c-a335cd06678e", referralId, StringComparison.Ordinal)
            .Replace("1505859100", cpr, StringComparison.Ordinal);
        var referral = ExampleVariants.Fresh(json, cpr);

        using (var response = await hub.PostAsync(referral.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var trace = await hub.WaitForDeliveredAckAsync(referral.MessageHeaderId); // the GP's endpoint is the test's endpoint
        Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
        Assert.Equal("851", (string?)trace["municipality"]);
        Assert.Single(await StatusMessagesAsync(referralId, "received", GpSor)); // the referring GP is the citizen's GP: told once
        var worklist = await hub.Http.GetFromJsonAsync<JsonNode>(new Uri("/api/municipalities/851/worklist", UriKind.Relative));
        var waiting = Assert.Single(worklist!["waitingToStart"]!.AsArray(), w => (string?)w!["citizen"] == $"{cpr[..6]}-****");
        Assert.Equal("Diabetes", (string?)waiting!["programme"]);
        Assert.Null(waiting["startDeadline"]); // the 7-day rule is for training after discharge
    }

    [Fact]
    public async Task GivenARevisedPlan_WhenItsOriginalCameFirst_ThenTheSameEpisodeIsRevisedNotDuplicated()
    {
        var planId = Guid.NewGuid().ToString();
        var cpr = ExampleVariants.NewCpr();
        var plan = Variant("training-plan-new.json", planId, cpr);
        var revised = Variant("training-plan-revised.json", planId, cpr);

        foreach (var message in new[] { plan, revised })
        {
            using var response = await hub.PostAsync(message.Json);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        }

        var trace = await hub.WaitForDeliveredAckAsync(revised.MessageHeaderId);
        Assert.Contains(trace["history"]!.AsArray(), s => ((string?)s!["detail"])?.Contains("revised", StringComparison.Ordinal) == true);
        var worklist = await hub.Http.GetFromJsonAsync<JsonNode>(new Uri("/api/municipalities/163/worklist", UriKind.Relative));
        Assert.Single(worklist!["waitingToStart"]!.AsArray(), w => (string?)w!["citizen"] == $"{cpr[..6]}-****");
    }

    [Fact]
    public async Task GivenAnEpisode_WhenReadAsFhirEpisodeOfCare_ThenOnlyItsOwnMunicipalityWithAKeySeesIt()
    {
        var planId = Guid.NewGuid().ToString();
        var cpr = ExampleVariants.NewCpr();
        var plan = Variant("training-plan-new.json", planId, cpr);
        using (var response = await hub.PostAsync(plan.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await hub.WaitForDeliveredAckAsync(plan.MessageHeaderId);

        using var search = await FhirGetAsync($"/fhir/EpisodeOfCare?patient.identifier=urn:oid:1.2.208.176.1.2|{cpr}", "herlev-plejecenter");
        Assert.Equal(HttpStatusCode.OK, search.StatusCode);
        Assert.Equal("application/fhir+json", search.Content.Headers.ContentType?.MediaType);
        var bundle = JsonNode.Parse(await search.Content.ReadAsStringAsync())!;
        Assert.Equal("searchset", (string?)bundle["type"]);
        var episode = Assert.Single(bundle["entry"]!.AsArray())!["resource"]!;
        Assert.Equal("EpisodeOfCare", (string?)episode["resourceType"]);
        Assert.Equal("waitlist", (string?)episode["status"]);
        Assert.Equal(cpr, (string?)episode["patient"]!["identifier"]!["value"]);
        Assert.Equal($"urn:uuid:{planId}", (string?)episode["referralRequest"]![0]!["identifier"]!["value"]);
        Assert.DoesNotContain(cpr, (string?)bundle["link"]![0]!["url"], StringComparison.Ordinal); // the self link masks the CPR

        var id = (string?)episode["id"];
        using (var own = await FhirGetAsync($"/fhir/EpisodeOfCare/{id}", "herlev-plejecenter"))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }

        using (var other = await FhirGetAsync($"/fhir/EpisodeOfCare/{id}", "aalborg-hjemmesygepleje"))
        {
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode); // another municipality does not even learn it exists
        }

        using (var otherSearch = await FhirGetAsync($"/fhir/EpisodeOfCare?patient.identifier={cpr}", "aalborg-hjemmesygepleje"))
        {
            Assert.Empty(JsonNode.Parse(await otherSearch.Content.ReadAsStringAsync())!["entry"]?.AsArray() ?? []);
        }

        using var anonymous = await FhirGetAsync($"/fhir/EpisodeOfCare/{id}", partnerId: null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task GivenAPlanForACitizenOfAnotherMunicipality_WhenPosted_ThenFatalErrorNamingTheReceiverAndNoEpisode()
    {
        var planId = Guid.NewGuid().ToString();
        var cpr = ExampleVariants.NewCpr();
        var plan = Variant("training-plan-new.json", planId, cpr);
        var bundle = JsonNode.Parse(plan.Json)!;
        var patient = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => (string?)r["resourceType"] == "Patient");
        patient["address"] = new JsonArray(new JsonObject // DK core: the citizen lives in Aalborg (851), the plan goes to Herlev (163)
        {
            ["extension"] = new JsonArray(new JsonObject
            {
                ["url"] = "http://hl7.dk/fhir/core/StructureDefinition/dk-core-municipalityCodes",
                ["valueCodeableConcept"] = new JsonObject { ["coding"] = new JsonArray(new JsonObject { ["system"] = "urn:oid:1.2.208.100.1", ["code"] = "851" }) },
            }),
            ["city"] = "Aalborg",
        });

        using (var response = await hub.PostAsync(bundle.ToJsonString()))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var trace = await hub.WaitForDeliveredAckAsync(plan.MessageHeaderId);
        Assert.Equal("failed", (string?)trace["state"]);
        Assert.Equal("fatal-error", (string?)trace["acknowledgement"]!["code"]);
        Assert.Equal("MSG_Receiver_Identifier_UNKNOWN", (string?)trace["acknowledgement"]!["issueCode"]);
        var ack = Assert.Single(hub.Hospital.AcknowledgementsFor(plan.MessageHeaderId));
        Assert.Contains("hub-receiver-citizen-municipality", ack.ToJsonString(), StringComparison.Ordinal);
        var worklist = await hub.Http.GetFromJsonAsync<JsonNode>(new Uri("/api/municipalities/163/worklist", UriKind.Relative));
        Assert.DoesNotContain(worklist!["waitingToStart"]!.AsArray(), w => (string?)w!["citizen"] == $"{cpr[..6]}-****");
    }

    [Fact]
    public async Task GivenAPlanNamingTheCitizensGp_WhenTheEpisodeRunsToCompletion_ThenTheGpHearsEachStepThroughTheAckLedger()
    {
        var planId = Guid.NewGuid().ToString();
        var cpr = ExampleVariants.NewCpr();
        var plan = Variant("training-plan-new.json", planId, cpr);
        using (var response = await hub.PostAsync(plan.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var trace = await hub.WaitForDeliveredAckAsync(plan.MessageHeaderId);
        Assert.Equal(
            new string?[] { "arden-laegehus", RunningHub.HospitalPartnerId },
            trace["caused"]!.AsArray().Select(c => (string?)c!["receiver"]).Order(StringComparer.Ordinal));
        var gpStatuses = new List<JsonNode> { Assert.Single(await StatusMessagesAsync(planId, "received", GpSor)) };
        var worklist = await hub.Http.GetFromJsonAsync<JsonNode>(new Uri("/api/municipalities/163/worklist", UriKind.Relative));
        var episodeId = (string?)worklist!["waitingToStart"]!.AsArray().Single(w => (string?)w!["citizen"] == $"{cpr[..6]}-****")!["episodeId"];
        var episode = $"/api/municipalities/163/episodes/{episodeId}";
        (string Action, object Body, string Status)[] steps =
        [
            ("plan-start", new { plannedStart = "2025-03-14" }, "planned"),
            ("start", new { }, "active"),
            ("revisitation", new { outcome = "SelfReliant" }, ""),
            ("complete", new { }, "finished"),
        ];
        foreach (var (action, body, status) in steps)
        {
            using var response = await PostAsync($"{episode}/{action}", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (status.Length > 0)
            {
                gpStatuses.Add(Assert.Single(await StatusMessagesAsync(planId, status, GpSor)));
                Assert.Single(await StatusMessagesAsync(planId, status)); // and the hospital, as before
            }
        }

        foreach (var status in gpStatuses) // each one is in the ACK ledger, addressed to the GP, until the GP acknowledges it
        {
            var headerId = (string)status["entry"]![0]!["resource"]!["id"]!;
            var sending = await SendingAsync(headerId, "awaiting-ack");
            Assert.Equal("arden-laegehus", (string?)sending["receiver"]);
            using (var ack = await hub.PostAsync(PartnerAcknowledgements.For(status.ToJsonString(), AcknowledgementCode.Ok).Json))
            {
                Assert.Equal(HttpStatusCode.Accepted, ack.StatusCode);
            }

            Assert.Equal("ok", (string?)(await SendingAsync(headerId, "acknowledged"))["ackCode"]);
        }
    }

    [Fact]
    public async Task GivenAPlanNamingAGpTheRegistryDoesNotKnow_WhenPosted_ThenTheEpisodeOpensTheHospitalIsToldAndAWarningIsLogged()
    {
        var planId = Guid.NewGuid().ToString();
        var cpr = ExampleVariants.NewCpr();
        var unknownSor = "999999000016001";
        var plan = ExampleVariants.Replace(Variant("training-plan-new.json", planId, cpr), GpSor, unknownSor);
        using (var response = await hub.PostAsync(plan.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var trace = await hub.WaitForDeliveredAckAsync(plan.MessageHeaderId);
        Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
        Assert.Single(await StatusMessagesAsync(planId, "received"));
        var caused = Assert.Single(trace["caused"]!.AsArray()); // the status went to the hospital only
        Assert.Equal(RunningHub.HospitalPartnerId, (string?)caused!["receiver"]);
        var warning = Assert.Single(hub.Logs.Lines, l => l.Contains(plan.MessageHeaderId, StringComparison.Ordinal) && l.Contains(unknownSor, StringComparison.Ordinal));
        Assert.StartsWith("Warning", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(cpr, warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("almen-avanceret", "herlev-kommune-carecommunication", "1042981000016003")] // Herlev's lead unit (visitation-led)
    [InlineData("almen-basal", "herlev-plejecenter", "953741000016009")] // Herlev's exception for basic training
    public async Task GivenAPlanToHerlev_WhenTheEpisodeOpens_ThenHerlevsOrganisationChoosesItsUnitAndCoordinator(string level, string unit, string unitSor)
    {
        var planId = Guid.NewGuid().ToString();
        var plan = ExampleVariants.Replace(Variant("training-plan-new.json", planId, ExampleVariants.NewCpr()), "\"almen-avanceret\"", $"\"{level}\"");
        using (var response = await hub.PostAsync(plan.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await hub.WaitForDeliveredAckAsync(plan.MessageHeaderId);
        var episode = await EpisodeAsync(planId);
        Assert.Equal(unit, episode.ResponsibleUnit);
        Assert.Equal("Visitator, Visitationen i Herlev Kommune", episode.Coordinator); // deploy/embedded/municipal-organisation.json
        var received = Assert.Single(await StatusMessagesAsync(planId, "received")); // the responsible unit tells the hospital
        Assert.Contains(received["entry"]!.AsArray().Select(e => e!["resource"]!),
            r => (string?)r["resourceType"] == "Organization" && r["identifier"]!.AsArray().Any(i => (string?)i!["value"] == unitSor));
    }

    [Fact]
    public async Task GivenAPlanToAMunicipalityWithoutOrganisation_WhenTheEpisodeOpens_ThenTheAddressedUnitLeadsWithoutCoordinator()
    {
        var planId = Guid.NewGuid().ToString();
        var plan = Variant("training-plan-new.json", planId, ExampleVariants.NewCpr());
        plan = ExampleVariants.Replace(plan, "953741000016009", "330461000016004"); // to Sundhedsplejen, Aabenraa (580)
        plan = ExampleVariants.Replace(plan, "5790001348120", "5790001353308");
        using (var response = await hub.PostAsync(plan.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var trace = await hub.WaitForDeliveredAckAsync(plan.MessageHeaderId);
        Assert.Equal("580", (string?)trace["municipality"]);
        var episode = await EpisodeAsync(planId);
        Assert.Equal("aabenraa-sundhedspleje", episode.ResponsibleUnit);
        Assert.Null(episode.Coordinator);
    }

    /// <summary>The ACK ledger's row for a message the hub sent, once it is in <paramref name="state"/>.</summary>
    private async Task<JsonNode> SendingAsync(string messageHeaderId, string state)
    {
        JsonNode? last = null;
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var response = await hub.Http.GetAsync(new Uri($"/api/sent-messages/{messageHeaderId}", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                last = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray())!;
                if ((string?)last["state"] == state)
                {
                    return last;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Sent message {messageHeaderId} did not reach {state}; last: {last?.ToJsonString() ?? "none"}");
    }

    private async Task<Integration.Persistence.Episodes.EpisodeRecord> EpisodeAsync(string planId)
    {
        await using var db = await hub.Db.CreateDbContextAsync();
        return await db.Episodes.AsNoTracking().SingleAsync(e => e.SourceIdentifier == $"urn:uuid:{planId}");
    }

    private async Task<HttpResponseMessage> FhirGetAsync(string path, string? partnerId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (partnerId is not null)
        {
            request.Headers.Add("X-Api-Key", RunningHub.ApiKeys[partnerId]);
        }

        return await hub.Http.SendAsync(request);
    }

    private Task<HttpResponseMessage> PostAsync(string path, object body) =>
        hub.Http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body);

    /// <summary>Episode-status messages about one plan, with the given EpisodeOfCare status, that the test's endpoint
    /// received for one receiver (by the SOR in MessageHeader.destination.endpoint): the hospital unless told otherwise.</summary>
    private async Task<IReadOnlyList<JsonNode>> StatusMessagesAsync(string planId, string status, string receiverSor = HospitalSor)
    {
        var fhirStatus = status switch { "received" => "waitlist", "cancelled" => "cancelled", _ => status };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var found = hub.Hospital.Received
                .Where(b => (string?)b["entry"]?[0]?["resource"]?["eventCoding"]?["code"] == "episode-status-message"
                            && (string?)b["entry"]![0]!["resource"]!["destination"]?[0]?["endpoint"] == $"https://sor2.sum.dsdn.dk/#id={receiverSor}"
                            && b.ToJsonString().Contains(planId, StringComparison.Ordinal)
                            && b["entry"]!.AsArray().Any(e => (string?)e!["resource"]?["resourceType"] == "EpisodeOfCare"
                                                             && (string?)e["resource"]!["status"] == fhirStatus))
                .ToList();
            if (found.Count > 0)
            {
                return found;
            }

            await Task.Delay(100);
        }

        return [];
    }

    /// <summary>One of the hub's own example messages (contracts/examples) with a fresh identity, plan id and citizen.</summary>
    internal static ExampleVariants.Variant Variant(string file, string planId, string cpr)
    {
        var json = File.ReadAllText(Path.Combine(MedComExamples.RepositoryRoot, "contracts", "examples", file))
            .Replace(ExamplePlanId, planId, StringComparison.Ordinal)
            .Replace(ExampleCpr, cpr, StringComparison.Ordinal);
        return ExampleVariants.Fresh(json, cpr);
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integration.Access;
using Integration.Persistence.Messages;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// An operator repairs the flow on the real hub: parked and failed messages grouped by reason, a dry run that changes
/// nothing, a retry that succeeds once the receiver is in the registry, a group retry, discard, replay, CPR reveal, and
/// the audit of all of it.
/// </summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class RepairFlowTests(HubFixture hub)
{
    private const string UnknownReceiverGroup = "parked.medcom.MSG_Receiver_Identifier_UNKNOWN";
    private const string HerlevEan = "5790001348120";
    private const string HerlevSor = "953741000016009";
    private static int s_receivers;

    [Fact]
    public async Task GivenParkedForAnUnknownReceiver_WhenThePartnerIsAddedAndTheMessageRetried_ThenProcessedOnceAndTheSenderGetsOkAfterItsFatalError()
    {
        var (ean, sor) = NewReceiverIdentifiers();
        var message = await PostParkedAsync(hub, ean, sor);

        var groups = await GetJsonAsync(hub.Http, "/api/repair/groups");
        var group = groups.AsArray().Single(g => (string?)g!["key"] == UnknownReceiverGroup)!;
        Assert.Equal("MSG_Receiver_Identifier_UNKNOWN", (string?)group["reason"]);
        Assert.Equal("parked", (string?)group["state"]);
        Assert.Contains("hospital-notification-message", group["messageTypes"]!.AsArray().Select(t => (string?)t));
        var members = await GetJsonAsync(hub.Http, $"/api/repair/groups/{UnknownReceiverGroup}/messages");
        Assert.Contains(members.AsArray(), m => (string?)m!["messageHeaderId"] == message.MessageHeaderId);

        // Dry run before the fix: it would be parked again, and nothing changes.
        var eventsBefore = await EventCountAsync(message.MessageHeaderId);
        var dryRun = await RetryAsync(message.MessageHeaderId, dryRun: true, "check before the fix");
        var preview = dryRun["messages"]![0]!;
        Assert.Equal("parked", (string?)preview["route"]!["outcome"]);
        Assert.Equal("fatal-error", (string?)preview["acknowledgement"]!["sentCode"]);
        Assert.False((bool)preview["retried"]!);
        Assert.Equal(eventsBefore, await EventCountAsync(message.MessageHeaderId));
        Assert.Equal("parked", (string?)(await hub.WaitForTraceAsync(message.MessageHeaderId, _ => true))["state"]);
        Assert.Equal(0, await AuditCountAsync(message.MessageHeaderId));

        await AddMunicipalUnitAsync(hub, ean, sor, "163");
        var reload = await hub.Http.PostAsJsonAsync("/api/repair/partners/reload", new { reason = "new Herlev unit registered" });
        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        Assert.Contains(ReceiverId(ean), (await reload.Content.ReadFromJsonAsync<JsonNode>())!["added"]!.AsArray().Select(a => (string?)a));

        var afterFix = (await RetryAsync(message.MessageHeaderId, dryRun: true, "check after the fix"))["messages"]![0]!;
        Assert.Equal("municipality", (string?)afterFix["route"]!["outcome"]);
        Assert.Equal("163", (string?)afterFix["route"]!["municipalityCode"]);

        var retried = await RetryAsync(message.MessageHeaderId, dryRun: false, "receiver registered");
        Assert.Equal(1, (int)retried["retried"]!);

        var trace = await hub.WaitForTraceAsync(message.MessageHeaderId, t => (string?)t["state"] == "processed" && (bool?)t["acknowledgement"]?["delivered"] == true);
        Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "retry");
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "ack-superseded");
        var acks = hub.Hospital.AcknowledgementsFor(message.MessageHeaderId).Select(a => (string?)a["entry"]![0]!["resource"]!["response"]!["code"]).ToList();
        Assert.Equal(["fatal-error", "ok"], acks);
        await using (var db = await hub.Db.CreateDbContextAsync())
        {
            Assert.Equal(1, await db.StayEvents.CountAsync(e => e.MessageHeaderId == message.MessageHeaderId));
            Assert.True(await db.HospitalStays.AnyAsync(s => s.CitizenCpr == message.Cpr && s.MunicipalityCode == "163"));
        }

        // Processed now: a second retry is refused and nothing is applied twice.
        using var again = await hub.Http.PostAsJsonAsync($"/api/repair/messages/{message.MessageHeaderId}/retry?dryRun=false", new { reason = "twice" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var audit = await GetJsonAsync(hub.Http, $"/api/audit?action=retry&actor={OperatorApiKey.UserName}");
        var entry = audit["entries"]!.AsArray().First(e => (string?)e!["target"] == message.MessageHeaderId)!;
        Assert.Equal(HubRoles.Operator, (string?)entry["role"]);
        Assert.Equal("receiver registered", (string?)entry["reason"]);
        Assert.Contains(audit["entries"]!.AsArray(), e => (string?)e!["action"] == "retry");
        var reloads = await GetJsonAsync(hub.Http, "/api/audit?action=reload-partners");
        Assert.Contains(reloads["entries"]!.AsArray(), e => (string?)e!["reason"] == "new Herlev unit registered"
            && ((string?)e["outcome"])!.Contains(ReceiverId(ean), StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenParkedForAUnitOfAMunicipalityNewToTheHub_WhenTheUnitIsAddedAndTheMessageRetried_ThenItsQueueIsConnectedAndTheMessageProcessed()
    {
        var (ean, sor) = NewReceiverIdentifiers();
        var message = await PostParkedAsync(hub, ean, sor);
        await AddMunicipalUnitAsync(hub, ean, sor, "330"); // Slagelse: no unit of it in the registry before

        using var reload = await hub.Http.PostAsJsonAsync("/api/repair/partners/reload", new { reason = "Slagelse joins the hub" });
        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        Assert.Contains("330", (await reload.Content.ReadFromJsonAsync<JsonNode>())!["connectedMunicipalities"]!.AsArray().Select(c => (string?)c));
        await RetryAsync(message.MessageHeaderId, dryRun: false, "Slagelse registered");

        var trace = await hub.WaitForTraceAsync(message.MessageHeaderId, t => (string?)t["state"] == "processed");
        Assert.Equal("330", (string?)trace["municipality"]);
        await using var db = await hub.Db.CreateDbContextAsync();
        Assert.True(await db.HospitalStays.AnyAsync(s => s.CitizenCpr == message.Cpr && s.MunicipalityCode == "330"));
    }

    [Fact]
    public async Task GivenAMunicipalRejection_WhenRetried_ThenTheInboxDoesNotSwallowItAndItFailsAgainWithoutANewAcknowledgement()
    {
        // A training plan for a citizen of Aalborg sent to Herlev: routed, then rejected by Herlev's handler (after its inbox step).
        var cpr = ExampleVariants.NewCpr();
        var json = File.ReadAllText(Path.Combine(MedComExamples.RepositoryRoot, "contracts", "examples", "training-plan-new.json"))
            .Replace("ab592b56-e8aa-44e2-97e8-efa9d6cc8b9b", Guid.NewGuid().ToString(), StringComparison.Ordinal)
            .Replace("0101909100", cpr, StringComparison.Ordinal);
        var plan = ExampleVariants.Fresh(json, cpr);
        var bundle = JsonNode.Parse(plan.Json)!;
        var patient = bundle["entry"]!.AsArray().Select(e => e!["resource"]!).Single(r => (string?)r["resourceType"] == "Patient");
        patient["address"] = new JsonArray(new JsonObject
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

        Assert.Equal("failed", (string?)(await hub.WaitForDeliveredAckAsync(plan.MessageHeaderId))["state"]);
        using var herlev = hub.HttpAs("municipal:163");
        var herlevGroups = await GetJsonAsync(herlev, "/api/repair/groups");
        Assert.Contains(herlevGroups.AsArray(), g => (string?)g!["key"] == "failed.medcom.MSG_Receiver_Identifier_UNKNOWN");

        await RetryAsync(plan.MessageHeaderId, dryRun: false, "try again");

        // Handled again by the municipal handler (a second "failed" after the retry), not dropped by its inbox.
        var trace = await hub.WaitForTraceAsync(plan.MessageHeaderId,
            t => t["history"]!.AsArray().SkipWhile(s => (string?)s!["step"] != "retry").Any(s => (string?)s!["step"] == "failed"));
        Assert.Equal("failed", (string?)trace["state"]);
        Assert.Equal("fatal-error", (string?)trace["acknowledgement"]!["code"]);
        await Task.Delay(500); // an acknowledgement sent again would arrive within this
        Assert.Single(hub.Hospital.AcknowledgementsFor(plan.MessageHeaderId));
    }

    [Fact]
    public async Task GivenAGroupOfParkedMessages_WhenTheGroupIsRetriedAfterTheFix_ThenEveryOneIsProcessed()
    {
        var (ean, sor) = NewReceiverIdentifiers();
        var first = await PostParkedAsync(hub, ean, sor);
        var second = await PostParkedAsync(hub, ean, sor);
        await AddMunicipalUnitAsync(hub, ean, sor, "163");
        (await hub.Http.PostAsJsonAsync("/api/repair/partners/reload", new { reason = "group test" })).EnsureSuccessStatusCode();

        using var response = await hub.Http.PostAsJsonAsync($"/api/repair/groups/{UnknownReceiverGroup}/retry?dryRun=false", new { reason = "receiver registered" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        Assert.True((int)result["retried"]! >= 2);
        foreach (var message in new[] { first, second })
        {
            var trace = await hub.WaitForTraceAsync(message.MessageHeaderId, t => (string?)t["state"] == "processed");
            Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "retry");
        }

        var audit = await GetJsonAsync(hub.Http, "/api/audit?action=retry-group");
        Assert.Contains(audit["entries"]!.AsArray(), e => (string?)e!["target"] == UnknownReceiverGroup && (string?)e["reason"] == "receiver registered");
    }

    [Fact]
    public async Task GivenParkedMessage_WhenDiscarded_ThenAReasonIsRequiredAndTheDiscardIsAudited()
    {
        var (ean, sor) = NewReceiverIdentifiers();
        var message = await PostParkedAsync(hub, ean, sor);

        using var withoutReason = await hub.Http.PostAsJsonAsync($"/api/repair/messages/{message.MessageHeaderId}/discard", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        using var discarded = await hub.Http.PostAsJsonAsync($"/api/repair/messages/{message.MessageHeaderId}/discard", new { reason = "test message sent by mistake" });

        Assert.Equal(HttpStatusCode.OK, discarded.StatusCode);
        var trace = await hub.WaitForTraceAsync(message.MessageHeaderId, _ => true);
        Assert.Equal("discarded", (string?)trace["state"]);
        var members = await GetJsonAsync(hub.Http, $"/api/repair/groups/{UnknownReceiverGroup}/messages");
        Assert.DoesNotContain(members.AsArray(), m => (string?)m!["messageHeaderId"] == message.MessageHeaderId);
        var audit = await GetJsonAsync(hub.Http, "/api/audit?action=discard");
        var entry = audit["entries"]!.AsArray().Single(e => (string?)e!["target"] == message.MessageHeaderId)!;
        Assert.Equal(OperatorApiKey.UserName, (string?)entry["actor"]);
        Assert.Equal("test message sent by mistake", (string?)entry["reason"]);
    }

    [Fact]
    public async Task GivenProcessedMessage_WhenReplayedToAnotherReceiver_ThenANewMessageIsTrackedInTheLedgerAndAudited()
    {
        var message = await PostProcessedAsync();

        using var dryRun = await hub.Http.PostAsJsonAsync($"/api/repair/messages/{message.MessageHeaderId}/replay",
            new { receiverPartnerId = "aalborg-hjemmesygepleje", dryRun = true });
        Assert.Equal(HttpStatusCode.OK, dryRun.StatusCode);
        await using (var db = await hub.Db.CreateDbContextAsync())
        {
            Assert.False(await db.SentMessages.AnyAsync(s => db.Messages.Any(m => m.Id == s.SourceMessageId && m.MessageHeaderId == message.MessageHeaderId)));
        }

        using var withoutReason = await hub.Http.PostAsJsonAsync($"/api/repair/messages/{message.MessageHeaderId}/replay",
            new { receiverPartnerId = "aalborg-hjemmesygepleje", dryRun = false });
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        using var response = await hub.Http.PostAsJsonAsync($"/api/repair/messages/{message.MessageHeaderId}/replay",
            new { receiverPartnerId = "aalborg-hjemmesygepleje", reason = "Aalborg lost it in their migration", dryRun = false });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        var replayId = (string?)result["replayMessageHeaderId"];
        Assert.NotNull(replayId);
        Assert.NotEqual(message.MessageHeaderId, replayId);
        await using (var db = await hub.Db.CreateDbContextAsync())
        {
            var sent = await db.SentMessages.SingleAsync(s => s.MessageHeaderId == replayId);
            Assert.Equal("aalborg-hjemmesygepleje", sent.ReceiverPartnerId);
            Assert.Equal((Guid)result["messageId"]!, sent.SourceMessageId);
            Assert.Contains("5790000121786", sent.FhirJson, StringComparison.Ordinal); // addressed to Aalborg now
        }

        var trace = await hub.WaitForTraceAsync(message.MessageHeaderId, t => t["caused"]!.AsArray().Any(c => (string?)c!["messageHeaderId"] == replayId));
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "replayed");
        var audit = await GetJsonAsync(hub.Http, "/api/audit?action=replay");
        Assert.Contains(audit["entries"]!.AsArray(), e => (string?)e!["target"] == message.MessageHeaderId
            && (string?)e["reason"] == "Aalborg lost it in their migration" && ((string?)e["outcome"])!.Contains(replayId!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenAMessage_WhenItsCprIsRevealed_ThenAReasonIsNeededItIsAuditedWithoutTheNumberAndOtherMunicipalitiesGetNotFound()
    {
        var message = await PostProcessedAsync();
        var url = $"/api/messages/{message.MessageHeaderId}/cpr";

        using var withoutReason = await hub.Http.PostAsJsonAsync(url, new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, withoutReason.StatusCode);
        using var aalborg = hub.HttpAs("municipal:851");
        using var otherMunicipality = await aalborg.PostAsJsonAsync(url, new { reason = "curious" });
        Assert.Equal(HttpStatusCode.NotFound, otherMunicipality.StatusCode);
        using var herlev = hub.HttpAs("municipal:163");
        using var ownMunicipality = await herlev.PostAsJsonAsync(url, new { reason = "calling the citizen about the discharge" });

        Assert.Equal(HttpStatusCode.OK, ownMunicipality.StatusCode);
        Assert.Equal(message.Cpr, (string?)(await ownMunicipality.Content.ReadFromJsonAsync<JsonNode>())!["cpr"]);
        Assert.DoesNotContain(message.Cpr, (await hub.WaitForTraceAsync(message.MessageHeaderId, _ => true)).ToJsonString(), StringComparison.Ordinal);
        await using var db = await hub.Db.CreateDbContextAsync();
        var entries = await db.AuditEntries.Where(a => a.Action == "reveal-cpr" && a.Target == message.MessageHeaderId).ToListAsync();
        var entry = Assert.Single(entries);
        Assert.Equal(TestUsers.UserName("municipal:163"), entry.Actor);
        Assert.Equal(HubRoles.Municipal, entry.Role);
        Assert.Equal("163", entry.MunicipalityCode);
        Assert.Equal("calling the citizen about the discharge", entry.Reason);
        Assert.DoesNotContain(entries, e => $"{e.Target}{e.Reason}{e.Outcome}".Contains(message.Cpr, StringComparison.Ordinal));
    }

    [Fact]
    public async Task GivenMunicipalOrAuditorPrincipal_WhenTheyTryToRepair_ThenForbiddenAndTheyOnlySeeWhatTheyMay()
    {
        var (ean, sor) = NewReceiverIdentifiers();
        var message = await PostParkedAsync(hub, ean, sor);
        using var herlev = hub.HttpAs("municipal:163");
        using var auditor = hub.HttpAs("auditor");

        using var retry = await herlev.PostAsJsonAsync($"/api/repair/messages/{message.MessageHeaderId}/retry?dryRun=false", new { reason = "try" });
        using var auditorRetry = await auditor.PostAsJsonAsync($"/api/repair/messages/{message.MessageHeaderId}/retry?dryRun=true", new { reason = "try" });
        using var municipalAudit = await herlev.GetAsync(new Uri("/api/audit", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, auditorRetry.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, municipalAudit.StatusCode);
        Assert.Equal("parked", (string?)(await hub.WaitForTraceAsync(message.MessageHeaderId, _ => true))["state"]);
        // A parked message never reached a municipality: only operators and auditors see it.
        var municipalGroups = await GetJsonAsync(herlev, "/api/repair/groups");
        Assert.DoesNotContain(municipalGroups.AsArray(), g => (string?)g!["key"] == UnknownReceiverGroup);
        var auditorGroups = await GetJsonAsync(auditor, "/api/repair/groups");
        Assert.Contains(auditorGroups.AsArray(), g => (string?)g!["key"] == UnknownReceiverGroup);
        using var auditorAudit = await auditor.GetAsync(new Uri("/api/audit", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, auditorAudit.StatusCode);
    }

    /// <summary>A MedCom admission addressed to a unit the registry does not know: parked, with a fatal-error ACK.</summary>
    internal static async Task<ExampleVariants.Variant> PostParkedAsync(HubFixture hub, string ean, string sor)
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        message = ExampleVariants.Replace(ExampleVariants.Replace(message, HerlevEan, ean), HerlevSor, sor);
        using var response = await hub.PostAsync(message.Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        Assert.Equal("parked", (string?)trace["state"]);
        return message;
    }

    private async Task<ExampleVariants.Variant> PostProcessedAsync()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        using var response = await hub.PostAsync(message.Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await hub.WaitForTraceAsync(message.MessageHeaderId, t => (string?)t["state"] == "processed");
        return message;
    }

    private async Task<JsonNode> RetryAsync(string id, bool dryRun, string reason)
    {
        using var response = await hub.Http.PostAsJsonAsync($"/api/repair/messages/{id}/retry?dryRun={(dryRun ? "true" : "false")}", new { reason });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient http, string url, bool post = false)
    {
        using var response = post ? await http.PostAsJsonAsync(url, new { }) : await http.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    private async Task<int> EventCountAsync(string messageHeaderId)
    {
        await using var db = await hub.Db.CreateDbContextAsync();
        return await db.MessageEvents.CountAsync(e => db.Messages.Any(m => m.Id == e.MessageId && m.MessageHeaderId == messageHeaderId));
    }

    private async Task<int> AuditCountAsync(string target)
    {
        await using var db = await hub.Db.CreateDbContextAsync();
        return await db.AuditEntries.CountAsync(a => a.Target == target);
    }

    /// <summary>A municipal unit this hub has never heard of: a valid EAN (GS1 check digit) and SOR of its own.</summary>
    internal static (string Ean, string Sor) NewReceiverIdentifiers()
    {
        var n = Interlocked.Increment(ref s_receivers) + (Environment.ProcessId % 1000 * 100);
        var body = "5790099" + n.ToString("D5", CultureInfo.InvariantCulture);
        var sum = body.Reverse().Select((c, i) => (c - '0') * (i % 2 == 0 ? 3 : 1)).Sum();
        return (body + ((10 - (sum % 10)) % 10).ToString(CultureInfo.InvariantCulture), "88" + n.ToString("D9", CultureInfo.InvariantCulture) + "0000");
    }

    private static string ReceiverId(string ean) => $"repair-test-{ean}";

    /// <summary>Registers the unit in the hub's partner file (the hub reads it again when told to reload).</summary>
    internal static async Task AddMunicipalUnitAsync(HubFixture hub, string ean, string sor, string municipalityCode)
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(hub.PartnerFile))!;
        document["partners"]!.AsArray().Add(new JsonObject
        {
            ["id"] = ReceiverId(ean),
            ["name"] = "Repair test unit",
            ["kind"] = "Municipality",
            ["municipalityCode"] = municipalityCode,
            ["ean"] = ean,
            ["sor"] = sor,
        });
        await File.WriteAllTextAsync(hub.PartnerFile, document.ToJsonString());
    }
}

using System.Net;
using Integration.Fhir;
using Integration.Testing;
using Microsoft.EntityFrameworkCore;

namespace Integration.EndToEnd.Tests;

/// <summary>MedCom's reliable-messaging table: the four combinations of Bundle.id and MessageHeader.id, and "an ACK is never acknowledged".</summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class IdentityCaseTests(HubFixture hub)
{
    [Fact]
    public async Task GivenANewBundleAndANewHeader_WhenPosted_ThenProcessedAndAcknowledgedOk()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));

        using var response = await hub.PostAsync(message.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);
        Assert.Equal("processed", (string?)trace["state"]);
        Assert.Equal("ok", (string?)trace["acknowledgement"]!["code"]);
        Assert.Equal(0, trace["duplicates"]!.GetValue<int>());
        Assert.DoesNotContain(trace["history"]!.AsArray(), s => (string?)s!["step"] == "duplicate");
    }

    [Fact]
    public async Task GivenTheSameBundleAndHeaderAgain_WhenPosted_ThenTheOriginalAckIsSentAgainAndNothingIsApplied()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        using (var first = await hub.PostAsync(message.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        }

        await hub.WaitForDeliveredAckAsync(message.MessageHeaderId);

        using var again = await hub.PostAsync(message.Json); // the sender lost our ACK and sends the very same envelope

        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var trace = await hub.WaitForTraceAsync(message.MessageHeaderId, t =>
            hub.Hospital.AcknowledgementsFor(message.MessageHeaderId).Count == 2 && t["duplicates"]!.GetValue<int>() == 1);
        Assert.Equal("processed", (string?)trace["state"]);
        Assert.Single(trace["bundleIds"]!.AsArray());
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "duplicate" && ((string?)s["detail"])!.Contains("same Bundle", StringComparison.Ordinal));
        var acks = hub.Hospital.AcknowledgementsFor(message.MessageHeaderId);
        Assert.Equal(acks[0].ToJsonString(), acks[1].ToJsonString());
        await using var db = await hub.Db.CreateDbContextAsync();
        Assert.Equal(1, await db.Inbox.CountAsync(i => i.MessageHeaderId == message.MessageHeaderId));
        Assert.Equal(1, await db.StayEvents.CountAsync(e => e.MessageHeaderId == message.MessageHeaderId));
    }

    [Fact]
    public async Task GivenAKnownBundleIdWithANewHeaderId_WhenPosted_ThenRejectedWithFatalErrorAndNotApplied()
    {
        var first = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        using (var response = await hub.PostAsync(first.Json))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        await hub.WaitForDeliveredAckAsync(first.MessageHeaderId);
        var other = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        var reusingBundle = ExampleVariants.Replace(other, other.BundleId, first.BundleId) with { BundleId = first.BundleId };

        using var rejected = await hub.PostAsync(reusingBundle.Json);

        Assert.Equal(HttpStatusCode.Accepted, rejected.StatusCode); // parseable: answered like any MedCom receiver, by ACK
        var trace = await hub.WaitForDeliveredAckAsync(reusingBundle.MessageHeaderId);
        Assert.Equal("failed", (string?)trace["state"]);
        Assert.Equal("fatal-error", (string?)trace["acknowledgement"]!["code"]);
        Assert.Equal("MSG_DUPLICATE_ID", (string?)trace["acknowledgement"]!["issueCode"]);
        var ack = Assert.Single(hub.Hospital.AcknowledgementsFor(reusingBundle.MessageHeaderId));
        Assert.Contains("hub-bundle-id-reused", ack.ToJsonString(), StringComparison.Ordinal);
        await using var db = await hub.Db.CreateDbContextAsync();
        Assert.Equal(0, await db.StayEvents.CountAsync(e => e.MessageHeaderId == reusingBundle.MessageHeaderId));
        var firstTrace = await hub.WaitForDeliveredAckAsync(first.MessageHeaderId);
        Assert.Equal(0, firstTrace["duplicates"]!.GetValue<int>()); // the first message is not touched
    }

    [Fact]
    public async Task GivenAnAcknowledgement_WhenPosted_ThenItIsRecordedAndNeverAcknowledged()
    {
        var message = ExampleVariants.Fresh(MedComExamples.HospitalNotification("a5e5b880"));
        var acknowledgement = PartnerAcknowledgements.For(message.Json, AcknowledgementCode.Ok); // answers nothing the hub sent

        using var response = await hub.PostAsync(acknowledgement.Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var trace = await hub.WaitForTraceAsync(acknowledgement.MessageHeaderId, t => (string?)t["state"] == "processed");
        Assert.Null(trace["acknowledgement"]);
        Assert.Contains(trace["history"]!.AsArray(), s => (string?)s!["step"] == "ack-unmatched");
        await Task.Delay(500);
        Assert.Empty(hub.Hospital.AcknowledgementsFor(acknowledgement.MessageHeaderId));
        await using var db = await hub.Db.CreateDbContextAsync();
        Assert.Equal(0, await db.Acknowledgements.CountAsync(a => db.Messages.Any(m => m.Id == a.MessageId && m.MessageHeaderId == acknowledgement.MessageHeaderId)));
    }
}

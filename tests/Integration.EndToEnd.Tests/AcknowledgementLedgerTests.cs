using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Integration.Fhir;
using Integration.Testing;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// MedCom's reliable sending for what the hub sends (here: a municipality's CareCommunication to the hospital): no ACK
/// after 30 minutes → resend with a new Bundle.id and the same MessageHeader.id, at most twice, then in error; a
/// transient-error ACK schedules a resend; a fatal-error ACK stops. The tests move the hub's clock instead of waiting.
/// </summary>
[Collection(HubTestGroup.Name)]
[Trait("Category", "Integration")]
public sealed class AcknowledgementLedgerTests(HubFixture hub)
{
    private static readonly TimeSpan PastTheDeadline = TimeSpan.FromMinutes(31);

    [Fact]
    public async Task GivenNoAckEver_WhenTheClockPassesTheDeadlines_ThenResentTwiceWithNewBundleIdsThenInError()
    {
        var message = await SendToHospitalAsync();

        hub.Clock.Advance(PastTheDeadline);
        await WaitForSendingAsync(message, sendings: 2, "awaiting-ack");
        hub.Clock.Advance(PastTheDeadline);
        await WaitForSendingAsync(message, sendings: 3, "awaiting-ack");
        hub.Clock.Advance(PastTheDeadline);
        var trace = await WaitForSendingAsync(message, sendings: 3, "in-error");

        var copies = hub.Hospital.MessagesWithHeader(message.MessageHeaderId);
        Assert.Equal(3, copies.Count);
        Assert.Equal(3, copies.Select(c => (string?)c["id"]).Distinct().Count()); // a new Bundle.id on every sending
        Assert.All(copies, c => Assert.Equal(message.MessageHeaderId, (string?)c["entry"]![0]!["resource"]!["id"]));
        Assert.Contains("no acknowledgement", (string?)trace["sending"]!["lastError"], StringComparison.Ordinal);
        var inError = await hub.Http.GetFromJsonAsync<JsonArray>(new Uri("/api/sent-messages?state=in-error", UriKind.Relative));
        Assert.Contains(inError!, s => (string?)s!["messageHeaderId"] == message.MessageHeaderId);

        hub.Clock.Advance(PastTheDeadline);
        await Task.Delay(1000);
        Assert.Equal(3, hub.Hospital.MessagesWithHeader(message.MessageHeaderId).Count); // in error stays in error
    }

    [Fact]
    public async Task GivenATransientErrorAck_WhenTheRetryIsDue_ThenResentAndAnOkAckSettlesIt()
    {
        var message = await SendToHospitalAsync();
        var first = hub.Hospital.MessagesWithHeader(message.MessageHeaderId)[0];

        await PostAsync(PartnerAcknowledgements.For(first.ToJsonString(), AcknowledgementCode.TransientError));
        await WaitForSendingAsync(message, sendings: 1, "waiting-for-retry");
        hub.Clock.Advance(TimeSpan.FromMinutes(6));
        await WaitForSendingAsync(message, sendings: 2, "awaiting-ack");
        var second = hub.Hospital.MessagesWithHeader(message.MessageHeaderId)[1];
        Assert.NotEqual((string?)first["id"], (string?)second["id"]);

        await PostAsync(PartnerAcknowledgements.For(second.ToJsonString(), AcknowledgementCode.Ok));
        var trace = await WaitForSendingAsync(message, sendings: 2, "acknowledged");
        Assert.Equal("ok", (string?)trace["sending"]!["ackCode"]);
    }

    [Fact]
    public async Task GivenAFatalErrorAck_WhenTheClockRunsOn_ThenInErrorAndNeverResent()
    {
        var message = await SendToHospitalAsync();
        var first = hub.Hospital.MessagesWithHeader(message.MessageHeaderId)[0];

        await PostAsync(PartnerAcknowledgements.For(first.ToJsonString(), AcknowledgementCode.FatalError, MedComIssueCodes.ValueSetValueUnknown));

        var trace = await WaitForSendingAsync(message, sendings: 1, "in-error");
        Assert.Equal("fatal-error", (string?)trace["sending"]!["ackCode"]);
        Assert.Equal(MedComIssueCodes.ValueSetValueUnknown, (string?)trace["sending"]!["ackIssueCode"]);
        hub.Clock.Advance(TimeSpan.FromHours(2));
        await Task.Delay(1000);
        Assert.Single(hub.Hospital.MessagesWithHeader(message.MessageHeaderId));
    }

    private async Task<ExampleVariants.Variant> SendToHospitalAsync()
    {
        var message = ExampleVariants.Fresh(MedComExamples.CareCommunication("b56549f7"));
        using var response = await hub.PostAsync(message.Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await WaitForSendingAsync(message, sendings: 1, "awaiting-ack");
        Assert.Single(hub.Hospital.MessagesWithHeader(message.MessageHeaderId));
        return message;
    }

    private Task<JsonNode> WaitForSendingAsync(ExampleVariants.Variant message, int sendings, string state) =>
        hub.WaitForTraceAsync(message.MessageHeaderId, t =>
            (string?)t["sending"]?["state"] == state && t["sending"]!["sendings"]!.GetValue<int>() == sendings
            && hub.Hospital.MessagesWithHeader(message.MessageHeaderId).Count >= (state == "awaiting-ack" ? sendings : 0));

    private async Task PostAsync(PartnerAcknowledgements.Built acknowledgement)
    {
        using var response = await hub.PostAsync(acknowledgement.Json);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}

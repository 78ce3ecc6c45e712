using System.Text;
using System.Text.Json.Nodes;
using Integration.Fhir.Tests.CareCommunications;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Messaging;

public sealed class MessageReenveloperTests
{
    private const string NewBundleId = "0f6c2a4e-6f55-4d1b-9a8f-1d2b3c4d5e6f";
    private static readonly DateTimeOffset SentAt = new(2024, 5, 1, 12, 30, 0, TimeSpan.FromHours(2));

    private static readonly IMessageReenveloper Reenveloper = FhirServices.MessageReenveloper;

    public static TheoryData<string> Examples() => new()
    {
        MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"),
        $"{ExampleJson.IgCareCommunications}/Bundle-3dcb5618-3055-406a-9034-1b8fc8de0fea.json",
        $"{MedCom.Acknowledgements}/Bundle-bc9535ef-ed94-4060-a928-7baddec7ee71.json",
        // XML examples arrive as JSON written by the parser: a different layout from MedCom's files.
        $"{ExampleJson.TestExamples}/Bundle-R-B-reply-91b4b79a-520f-48cb-bb9a-9c3e27301968.xml",
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void GivenMessage_WhenReenveloped_ThenItParsesWithTheNewEnvelopeAndTheSameMessageHeader(string file)
    {
        var original = ExampleJson.Of(file);
        var before = ParseOk(Encoding.UTF8.GetBytes(original)).Envelope;

        var resent = Reenveloper.Reenvelope(original, NewBundleId, SentAt);

        var after = ParseOk(Encoding.UTF8.GetBytes(resent)).Envelope;
        Assert.Equal(NewBundleId, after.BundleId);
        Assert.Equal(SentAt, after.Timestamp);
        Assert.Equal(before.MessageHeaderId, after.MessageHeaderId);
        Assert.Equal(before with { BundleId = NewBundleId, Timestamp = SentAt, Receivers = after.Receivers }, after);
        Assert.Equal(before.Receivers, after.Receivers);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void GivenMessage_WhenReenveloped_ThenEverythingButIdAndTimestampIsTheSameText(string file)
    {
        var original = ExampleJson.Of(file);
        var node = JsonNode.Parse(original)!.AsObject();
        var oldId = (string)node["id"]!;
        var oldTimestamp = (string)node["timestamp"]!;

        var resent = Reenveloper.Reenvelope(original, NewBundleId, SentAt);

        var expected = ReplaceFirst(ReplaceFirst(original, $"\"{oldId}\"", $"\"{NewBundleId}\""),
            $"\"{oldTimestamp}\"", "\"2024-05-01T12:30:00+02:00\"");
        Assert.Equal(expected, resent);
    }

    [Fact]
    public void GivenMessageWithoutTimestamp_WhenReenveloped_ThenTheTimestampIsAddedAfterResourceType()
    {
        var node = MedCom.Json(MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"));
        node.Remove("timestamp");

        var resent = JsonNode.Parse(Reenveloper.Reenvelope(node.ToJsonString(), NewBundleId, SentAt))!.AsObject();

        Assert.Equal("2024-05-01T12:30:00+02:00", (string?)resent["timestamp"]);
        Assert.Equal(NewBundleId, (string?)resent["id"]);
        Assert.Equal(["resourceType", "timestamp", "id"], resent.Select(p => p.Key).Take(3));
    }

    [Fact]
    public void GivenResendTwice_WhenReenveloped_ThenOnlyTheLatestEnvelopeRemains()
    {
        var original = MedCom.Text($"{ExampleJson.IgCareCommunications}/Bundle-add5e7e2-0c0f-4a4a-bfff-f6f984fa7e3c.json");

        var first = Reenveloper.Reenvelope(original, "first-resend", SentAt);
        var second = Reenveloper.Reenvelope(first, "second-resend", SentAt.AddMinutes(30));

        var envelope = ParseOk(Encoding.UTF8.GetBytes(second)).Envelope;
        Assert.Equal("second-resend", envelope.BundleId);
        Assert.Equal(SentAt.AddMinutes(30), envelope.Timestamp);
        Assert.Equal("42cb9200-f421-4d08-8391-7d51a2503cb4", envelope.MessageHeaderId);
    }

    [Theory]
    [InlineData(0, "2024-05-01T10:30:00+00:00")]
    [InlineData(123, "2024-05-01T10:30:00.123+00:00")]
    public void GivenSendingTime_WhenWritten_ThenItIsAnInstantWithTimeZoneAndNoEmptyFraction(int milliseconds, string expected)
    {
        var json = MedCom.Text(MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"));
        var at = new DateTimeOffset(2024, 5, 1, 10, 30, 0, milliseconds, TimeSpan.Zero);

        var resent = JsonNode.Parse(Reenveloper.Reenvelope(json, NewBundleId, at))!;

        Assert.Equal(expected, (string?)resent["timestamp"]);
    }

    [Fact]
    public void GivenAckBuiltByTheFactory_WhenReenveloped_ThenItIsStillTheSameAcknowledgement()
    {
        var built = FhirServices.AcknowledgementFactory.Create(new AcknowledgementRequest
        {
            RespondsToMessageHeaderId = "b9b4818e-02de-4cc4-b418-d20cbc7b5404",
            From = new OrganizationIdentity("5790001348120", "953741000016009", null),
            FromEndpoint = "https://sor2.sum.dsdn.dk/#id=953741000016009",
            To = new OrganizationIdentity("5790000209354", "265161000016000", null),
            ToEndpoint = "https://sor2.sum.dsdn.dk/#id=265161000016000",
            Code = AcknowledgementCode.Ok,
            CreatedAt = SentAt,
        });

        var resent = Reenveloper.Reenvelope(built.FhirJson, NewBundleId, SentAt.AddMinutes(30));

        var envelope = ParseOk(Encoding.UTF8.GetBytes(resent)).Envelope;
        Assert.Equal(built.MessageHeaderId, envelope.MessageHeaderId);
        Assert.Equal(NewBundleId, envelope.BundleId);
        Assert.Equal("b9b4818e-02de-4cc4-b418-d20cbc7b5404", envelope.ResponseToMessageHeaderId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("urn:uuid:0f6c2a4e-6f55-4d1b-9a8f-1d2b3c4d5e6f")]
    public void GivenIdThatIsNotAFhirId_WhenReenveloped_ThenArgumentException(string id)
    {
        var json = MedCom.Text(MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"));

        Assert.ThrowsAny<ArgumentException>(() => Reenveloper.Reenvelope(json, id, SentAt));
    }

    [Theory]
    [InlineData("{ \"resourceType\": \"Patient\", \"id\": \"x\" }")]
    [InlineData("[1, 2]")]
    [InlineData("{ \"resourceType\": \"Bundle\", ")]
    public void GivenTextThatIsNotABundle_WhenReenveloped_ThenArgumentException(string json)
    {
        Assert.Throws<ArgumentException>(() => Reenveloper.Reenvelope(json, NewBundleId, SentAt));
    }

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(at >= 0);
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + old.Length));
    }
}

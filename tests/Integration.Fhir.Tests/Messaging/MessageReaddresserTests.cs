using System.Text;
using System.Text.Json.Nodes;
using Integration.Fhir.Tests.CareCommunications;
using Integration.Fhir.Tests.Validation;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Messaging;

public sealed class MessageReaddresserTests
{
    private static readonly DateTimeOffset SentAt = new(2024, 5, 1, 12, 30, 0, TimeSpan.FromHours(2));
    private static readonly OrganizationIdentity Aalborg = new("5790000121786", "328081000016004", "Hjemmesygeplejen, Aalborg kommune");

    private static string Notification => ExampleJson.Of(MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"));

    [Fact]
    public void GivenProcessedNotification_WhenReaddressed_ThenItIsANewMessageToTheChosenReceiverThatKeepsMedComRules()
    {
        var original = ParseOk(Encoding.UTF8.GetBytes(Notification)).Envelope;
        var headerId = Guid.NewGuid().ToString();
        var bundleId = Guid.NewGuid().ToString();

        var result = FhirServices.MessageReaddresser.Readdress(Notification, new ReplayAddress(headerId, bundleId, SentAt, Aalborg, "https://aalborg.example/fhir"));

        Assert.True(result.Succeeded, result.Failure);
        var replay = ParseOk(Encoding.UTF8.GetBytes(result.FhirJson!)).Envelope;
        Assert.Equal(headerId, replay.MessageHeaderId);
        Assert.Equal(bundleId, replay.BundleId);
        Assert.Equal(SentAt, replay.Timestamp);
        Assert.Equal(Aalborg.Ean, replay.Receivers[0].Ean);
        Assert.Equal(Aalborg.Sor, replay.Receivers[0].Sor);
        Assert.Equal("https://aalborg.example/fhir", replay.DestinationEndpoint);
        Assert.Equal(original.Sender, replay.Sender);
        Assert.Equal(original.CitizenCpr, replay.CitizenCpr);
        var provenance = JsonNode.Parse(result.FhirJson!)!["entry"]!.AsArray().Select(e => e!["resource"]!).First(r => (string?)r["resourceType"] == "Provenance");
        Assert.EndsWith($"MessageHeader/{headerId}", (string?)provenance["target"]![0]!["reference"], StringComparison.Ordinal);
        var report = Validators.WithPackages.Validate(result.FhirJson!);
        Assert.True(report.IsValid, string.Join("; ", report.Errors.Select(e => $"{e.Rule} at {e.Path}")));
    }

    [Fact]
    public void GivenBundleThatIsNotAMessage_WhenReaddressed_ThenFailsWithAReason()
    {
        var result = FhirServices.MessageReaddresser.Readdress("{\"resourceType\":\"Bundle\",\"id\":\"b\",\"type\":\"collection\"}",
            new ReplayAddress(Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), SentAt, Aalborg, null));

        Assert.False(result.Succeeded);
        Assert.NotNull(result.Failure);
    }
}

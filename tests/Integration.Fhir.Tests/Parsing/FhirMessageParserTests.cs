using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Parsing;

public sealed class FhirMessageParserTests
{
    private const string HospitalEan = "5790000209354";
    private const string HospitalSor = "265161000016000";
    private const string MunicipalityEan = "5790001348120";
    private const string MunicipalitySor = "953741000016009";

    private static readonly IFhirMessageParser Parser = FhirServices.Parser;

    public static TheoryData<string> HospitalNotificationFiles() =>
        new(Directory.EnumerateFiles(MedCom.PathOf(MedCom.HospitalNotifications), "*.json")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    public static TheoryData<string> AllExampleFiles() => new(MedCom.AllExampleFiles());

    [Fact]
    public void GivenMedComFolder_WhenListed_ThenAllTwelveHospitalNotificationsArePresent()
    {
        Assert.Equal(12, HospitalNotificationFiles().Count);
    }

    [Theory]
    [MemberData(nameof(HospitalNotificationFiles))]
    public void GivenHospitalNotificationExample_WhenParsedAsJson_ThenEnvelopeHasSenderReceiverAndIds(string file)
    {
        var json = MedCom.Json(MedCom.HospitalNotification(file));

        var message = ParseOk(MedCom.Bytes(MedCom.HospitalNotification(file)));

        var envelope = message.Envelope;
        Assert.Equal((string)json["id"]!, envelope.BundleId);
        Assert.Equal(HeaderId(json), envelope.MessageHeaderId);
        Assert.Equal("hospital-notification-message", envelope.MessageType);
        Assert.Equal(HospitalEan, envelope.Sender.Ean);
        Assert.Equal(HospitalSor, envelope.Sender.Sor);
        var receiver = Assert.Single(envelope.Receivers);
        Assert.Equal(MunicipalityEan, receiver.Ean);
        Assert.Equal(MunicipalitySor, receiver.Sor);
        Assert.Equal("https://sor2.sum.dsdn.dk/#id=265161000016000", envelope.SourceEndpoint);
        Assert.Equal("https://sor2.sum.dsdn.dk/#id=953741000016009", envelope.DestinationEndpoint);
        Assert.True(envelope.CitizenCpr == Cpr(json), "CitizenCpr must be the Patient's CPR identifier");
        Assert.Equal(DateTimeOffset.Parse((string)json["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture), envelope.Timestamp);
        Assert.Null(envelope.ResponseCode);
        Assert.Equal(Encoding.UTF8.GetString(MedCom.Bytes(MedCom.HospitalNotification(file))), message.FhirJson);
    }

    [Theory]
    [MemberData(nameof(AllExampleFiles))]
    public void GivenAnyMedComExample_WhenParsed_ThenMessageBundlesSucceedAndOthersFailCleanly(string file)
    {
        var format = file.EndsWith(".xml", StringComparison.Ordinal) ? FhirFormat.Xml : FhirFormat.Json;
        var expectMessage = IsMessageBundle(MedCom.Text(file), format);

        var result = Parser.Parse(MedCom.Bytes(file), format);

        if (expectMessage)
        {
            Assert.True(result.Succeeded, result.Failure?.Reason);
            Assert.False(string.IsNullOrEmpty(result.Message!.Envelope.MessageHeaderId));
            Assert.NotEmpty(result.Message.Envelope.Receivers);
            Assert.StartsWith("{", result.Message.FhirJson, StringComparison.Ordinal);
        }
        else
        {
            Assert.False(result.Succeeded);
            Assert.False(string.IsNullOrWhiteSpace(result.Failure!.Reason));
        }
    }

    [Theory]
    [InlineData("Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json", "42cb9200-f421-4d08-8391-7d51a2503cb4", "ok")]
    [InlineData("Bundle-bc9535ef-ed94-4060-a928-7baddec7ee71.json", "53128d9b-cede-4c7f-8904-809eab322d7d", "fatal-error")]
    public void GivenAcknowledgementExample_WhenParsed_ThenResponseIsRead(string file, string respondsTo, string code)
    {
        var envelope = ParseOk(MedCom.Bytes($"{MedCom.Acknowledgements}/{file}")).Envelope;

        Assert.Equal("acknowledgement-message", envelope.MessageType);
        Assert.Equal(respondsTo, envelope.ResponseToMessageHeaderId);
        Assert.Equal(code, envelope.ResponseCode);
        Assert.Null(envelope.CitizenCpr);
        Assert.Equal("5790001348120", envelope.Sender.Ean);
        Assert.Equal("5790000209354", Assert.Single(envelope.Receivers).Ean);
    }

    [Theory]
    [MemberData(nameof(HospitalNotificationFiles))]
    public void GivenExampleSerializedToXml_WhenParsedAsXml_ThenEnvelopeEqualsJsonAndJsonIsReturned(string file)
    {
        var jsonBody = MedCom.Bytes(MedCom.HospitalNotification(file));
        var bundle = FhirJsonDeserializer.DEFAULT.Deserialize<Bundle>(Encoding.UTF8.GetString(jsonBody));
        var xml = FhirXmlSerializer.Default.SerializeToBytes(bundle, pretty: true);

        var fromJson = ParseOk(jsonBody).Envelope;
        var fromXml = ParseOk(xml, FhirFormat.Xml);

        Assert.Equal(fromJson.BundleId, fromXml.Envelope.BundleId);
        Assert.Equal(fromJson.MessageHeaderId, fromXml.Envelope.MessageHeaderId);
        Assert.Equal(fromJson.MessageType, fromXml.Envelope.MessageType);
        Assert.Equal(fromJson.Sender, fromXml.Envelope.Sender);
        Assert.Equal(fromJson.Receivers, fromXml.Envelope.Receivers);
        Assert.Equal(fromJson.SourceEndpoint, fromXml.Envelope.SourceEndpoint);
        Assert.Equal(fromJson.DestinationEndpoint, fromXml.Envelope.DestinationEndpoint);
        Assert.Equal(fromJson.Timestamp, fromXml.Envelope.Timestamp);
        Assert.True(fromJson.CitizenCpr == fromXml.Envelope.CitizenCpr, "CPR differs between JSON and XML");
        var converted = JsonNode.Parse(fromXml.FhirJson)!;
        Assert.Equal("Bundle", (string?)converted["resourceType"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(jsonBody)!["entry"]![0]!["resource"]!["destination"],
            converted["entry"]![0]!["resource"]!["destination"]));
        Assert.True(FhirServices.HospitalNotificationReader.Read(fromXml.FhirJson).Succeeded);
    }

    [Fact]
    public void GivenPatientResource_WhenParsed_ThenFailsBecauseItIsNotABundle()
    {
        var failure = ParseFails(MedCom.Bytes("examples/ig-core-3.0.1/Patient-733cef33-3626-422b-955d-d506aaa65fe1.json"));

        Assert.Contains("not a Bundle", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenCollectionBundle_WhenParsed_ThenFailsOnBundleType()
    {
        var json = Example();
        json["type"] = "collection";

        var failure = ParseFails(Utf8(json));

        Assert.Equal("Bundle.type", failure.Location);
        Assert.Contains("message", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenBundleWithoutId_WhenParsed_ThenFailsOnBundleId()
    {
        var json = Example();
        json.Remove("id");

        Assert.Equal("Bundle.id", ParseFails(Utf8(json)).Location);
    }

    [Fact]
    public void GivenMessageWithoutMessageHeader_WhenParsed_ThenFails()
    {
        var json = Example();
        Entries(json).RemoveAt(0);

        var failure = ParseFails(Utf8(json));

        Assert.Equal("Bundle.entry[0].resource", failure.Location);
        Assert.Contains("MessageHeader", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenMessageHeaderWithoutId_WhenParsed_ThenFails()
    {
        var json = Example();
        Entries(json)[0]!["resource"]!.AsObject().Remove("id");

        Assert.Equal("Bundle.entry[0].resource.id", ParseFails(Utf8(json)).Location);
    }

    [Fact]
    public void GivenTruncatedJson_WhenParsed_ThenFailsAsMalformedJson()
    {
        var body = MedCom.Bytes(MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"));

        var failure = ParseFails(body[..(body.Length / 2)]);

        Assert.Contains("JSON", failure.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json at all")]
    [InlineData("[1, 2, 3]")]
    [InlineData("{\"id\": \"x\"}")]
    [InlineData("{\"resourceType\": \"Nonsense\"}")]
    [InlineData("null")]
    public void GivenBodyThatIsNotFhir_WhenParsed_ThenFailsWithReason(string body)
    {
        Assert.False(string.IsNullOrWhiteSpace(ParseFails(Encoding.UTF8.GetBytes(body)).Reason));
    }

    [Fact]
    public void GivenUnknownElement_WhenParsed_ThenFailsBecauseParsingIsStrict()
    {
        var json = Example();
        json["unexpected"] = "value";

        var failure = ParseFails(Utf8(json));

        Assert.Equal("Bundle.unexpected", failure.Location);
    }

    [Fact]
    public void GivenNarrativeWithScript_WhenParsed_ThenFailsBecauseNarrativesAreValidated()
    {
        var json = Example();
        Entries(json)[0]!["resource"]!["text"]!["div"] =
            "<div xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></div>";

        Assert.Contains("text.div", ParseFails(Utf8(json)).Location, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenNarrativeWithScriptInAContainedResource_WhenParsed_ThenFailsThereToo()
    {
        var json = Example();
        var resource = Entries(json)[0]!["resource"]!.AsObject();
        resource["contained"] = new JsonArray(new JsonObject
        {
            ["resourceType"] = "Organization",
            ["id"] = "contained-organisation",
            ["text"] = new JsonObject
            {
                ["status"] = "generated",
                ["div"] = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p onclick=\"alert(1)\">x</p></div>",
            },
        });

        var failure = ParseFails(Utf8(json));

        Assert.Equal("Bundle.entry[0].resource.contained[0].text.div", failure.Location);
        Assert.Contains("not valid FHIR XHTML", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenInvalidValueThatLooksLikeCpr_WhenParsed_ThenReasonDoesNotRepeatTheValue()
    {
        var json = Example();
        var cpr = Cpr(json);
        Resources(json, "Patient").Single()["birthDate"] = cpr;

        var failure = ParseFails(Utf8(json));

        Assert.Contains("birthDate", failure.Reason, StringComparison.Ordinal);
        Assert.False(failure.Reason.Contains(cpr, StringComparison.Ordinal), "The failure reason repeats the invalid value");
    }

    [Fact]
    public void GivenDeeplyNestedNarrative_WhenParsed_ThenFailsFast()
    {
        var json = Example();
        Entries(json)[0]!["resource"]!["text"]!["div"] = "<div xmlns=\"http://www.w3.org/1999/xhtml\">"
            + string.Concat(Enumerable.Repeat("<div>", 100_000)) + string.Concat(Enumerable.Repeat("</div>", 100_000)) + "</div>";
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var failure = ParseFails(Utf8(json));

        Assert.Equal("Bundle.entry[0].resource.text.div", failure.Location);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"Took {watch.Elapsed}");
    }

    [Fact]
    public void GivenMalformedNarrative_WhenParsed_ThenFailsWithoutQuotingIt()
    {
        var json = Example();
        var cpr = Cpr(json);
        Entries(json)[0]!["resource"]!["text"]!["div"] = $"<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>{cpr}</div>";

        var failure = ParseFails(Utf8(json));

        Assert.Equal("Bundle.entry[0].resource.text.div", failure.Location);
        Assert.False(failure.Reason.Contains(cpr, StringComparison.Ordinal), "The failure reason quotes the narrative");
    }

    [Fact]
    public void GivenManyInvalidElements_WhenParsed_ThenReasonIsBounded()
    {
        var json = Example();
        for (var i = 0; i < 500; i++)
        {
            json[$"unexpected{i}"] = new string('x', 100);
        }

        Assert.True(ParseFails(Utf8(json)).Reason.Length <= 1000);
    }

    [Fact]
    public void GivenTrailingContentAfterJson_WhenParsed_ThenFails()
    {
        var body = MedCom.Text(MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json")) + " {}";

        ParseFails(Encoding.UTF8.GetBytes(body));
    }

    [Fact]
    public void GivenJsonWithByteOrderMark_WhenParsed_ThenSucceedsAndJsonHasNoMark()
    {
        var body = MedCom.Bytes(MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"));

        var message = ParseOk([0xEF, 0xBB, 0xBF, .. body]);

        Assert.StartsWith("{", message.FhirJson, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenDeeplyNestedJson_WhenParsed_ThenFailsWithoutThrowing()
    {
        var body = "{\"resourceType\":\"Bundle\",\"id\":\"x\",\"type\":\"message\",\"meta\":"
                   + string.Concat(Enumerable.Repeat("{\"extension\":[", 100_000));

        Assert.Contains("depth", ParseFails(Encoding.UTF8.GetBytes(body)).Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GivenDeeplyNestedXml_WhenParsed_ThenFailsWithoutThrowing()
    {
        var body = "<Bundle xmlns=\"http://hl7.org/fhir\"><id value=\"x\"/><meta>"
                   + string.Concat(Enumerable.Repeat("<extension url=\"u\">", 100_000));

        Assert.Contains("nested", ParseFails(Encoding.UTF8.GetBytes(body), FhirFormat.Xml).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenXmlWithExternalEntity_WhenParsed_ThenFailsWithoutResolvingIt()
    {
        var secret = Path.GetTempFileName();
        File.WriteAllText(secret, "top secret");
        try
        {
            var body = $"""
                <?xml version="1.0"?>
                <!DOCTYPE Bundle [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
                <Bundle xmlns="http://hl7.org/fhir"><id value="x"/><type value="message"/>
                  <identifier><value value="&xxe;"/></identifier></Bundle>
                """;

            var failure = ParseFails(Encoding.UTF8.GetBytes(body), FhirFormat.Xml);

            Assert.Contains("DTD", failure.Reason, StringComparison.Ordinal);
            Assert.DoesNotContain("top secret", failure.Reason, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secret);
        }
    }

    [Fact]
    public void GivenEntityExpansionBomb_WhenParsed_ThenFails()
    {
        const string body = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <Bundle xmlns="http://hl7.org/fhir"><id value="&lol2;"/></Bundle>
            """;

        ParseFails(Encoding.UTF8.GetBytes(body), FhirFormat.Xml);
    }

    [Fact]
    public void GivenMalformedXml_WhenParsed_ThenFailsWithLocation()
    {
        var failure = ParseFails("<Bundle xmlns=\"http://hl7.org/fhir\"><id value=\"x\"></Bundle>"u8.ToArray(), FhirFormat.Xml);

        Assert.NotNull(failure.Location);
    }

    [Fact]
    public void GivenBodyOverTheLimit_WhenParsed_ThenFailsBeforeReadingIt()
    {
        var parser = FhirServices.CreateParser(new FhirParserLimits { MaxBodyBytes = 1024 });
        var body = MedCom.Bytes(MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"));

        var result = parser.Parse(body, FhirFormat.Json);

        Assert.False(result.Succeeded);
        Assert.Contains("limit", result.Failure!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenVeryLargeBody_WhenParsedWithDefaultLimits_ThenFailsCleanly()
    {
        var body = new byte[FhirParserLimits.Default.MaxBodyBytes + 1];
        Array.Fill(body, (byte)' ');

        Assert.Contains("limit", ParseFails(body).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenDestinationsWithoutPrimaryMarker_WhenParsed_ThenAllAreReceivers()
    {
        var json = Example();
        var destination = Entries(json)[0]!["resource"]!["destination"]!.AsArray();
        destination[0]!.AsObject().Remove("extension");
        destination.Add(destination[0]!.DeepClone());

        Assert.Equal(2, ParseOk(Utf8(json)).Envelope.Receivers.Count);
    }

    [Fact]
    public void GivenCcDestination_WhenParsed_ThenOnlyThePrimaryIsAReceiver()
    {
        var json = Example();
        var destinations = Entries(json)[0]!["resource"]!["destination"]!.AsArray();
        var cc = destinations[0]!.DeepClone();
        cc["extension"]![0]!["valueCoding"]!["code"] = "cc";
        cc["receiver"]!["reference"] = "Organization/unknown";
        destinations.Add(cc);

        var receiver = Assert.Single(ParseOk(Utf8(json)).Envelope.Receivers);
        Assert.Equal(MunicipalityEan, receiver.Ean);
    }

    [Fact]
    public void GivenHttpGlnSystem_WhenParsed_ThenEanIsRead()
    {
        var json = Example();
        foreach (var organization in Resources(json, "Organization"))
        {
            foreach (var identifier in organization["identifier"]!.AsArray())
            {
                if ((string?)identifier!["system"] == "https://www.gs1.org/gln")
                {
                    identifier["system"] = "http://www.gs1.org/gln";
                }
            }
        }

        Assert.Equal(HospitalEan, ParseOk(Utf8(json)).Envelope.Sender.Ean);
    }

    private static JsonObject Example() =>
        MedCom.Json(MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"));

    private static ParseFailure ParseFails(byte[] body, FhirFormat format = FhirFormat.Json)
    {
        var result = Parser.Parse(body, format);
        Assert.False(result.Succeeded);
        Assert.NotNull(result.Failure);
        Assert.False(string.IsNullOrWhiteSpace(result.Failure.Reason));
        return result.Failure;
    }

    private static bool IsMessageBundle(string text, FhirFormat format)
    {
        if (format == FhirFormat.Json)
        {
            var json = JsonNode.Parse(text)!;
            return (string?)json["resourceType"] == "Bundle" && (string?)json["type"] == "message";
        }

        var root = XDocument.Parse(text).Root!;
        XNamespace fhir = "http://hl7.org/fhir";
        return root.Name == fhir + "Bundle" && (string?)root.Element(fhir + "type")?.Attribute("value") == "message";
    }
}

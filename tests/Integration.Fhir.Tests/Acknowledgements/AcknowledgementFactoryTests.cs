using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Acknowledgements;

public sealed partial class AcknowledgementFactoryTests
{
    private const string OkExample = "Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json";
    private const string FatalExample = "Bundle-bc9535ef-ed94-4060-a928-7baddec7ee71.json";
    private static readonly DateTimeOffset CreatedAt = new(2024, 5, 1, 10, 15, 30, TimeSpan.FromHours(2));

    private static readonly IAcknowledgementFactory Factory = FhirServices.AcknowledgementFactory;

    [Fact]
    public void GivenReceivedMessage_WhenAcknowledgedOk_ThenParsedAckAnswersItWithSenderAndReceiverSwapped()
    {
        var original = ReceivedMessage();

        var ack = Factory.Create(RequestFor(original, AcknowledgementCode.Ok));
        var parsed = ParseOk(Encoding.UTF8.GetBytes(ack.FhirJson));

        var envelope = parsed.Envelope;
        Assert.Equal(ack.BundleId, envelope.BundleId);
        Assert.Equal(ack.MessageHeaderId, envelope.MessageHeaderId);
        Assert.Equal("acknowledgement-message", envelope.MessageType);
        Assert.Equal(original.MessageHeaderId, envelope.ResponseToMessageHeaderId);
        Assert.Equal("ok", envelope.ResponseCode);
        Assert.Equal(original.Receivers[0], envelope.Sender);
        Assert.Equal(original.Sender, Assert.Single(envelope.Receivers));
        Assert.Equal(original.SourceEndpoint, envelope.DestinationEndpoint);
        Assert.Equal(original.DestinationEndpoint, envelope.SourceEndpoint);
        Assert.Equal(CreatedAt, envelope.Timestamp);
        Assert.Null(envelope.CitizenCpr);
    }

    [Fact]
    public void GivenOkAck_WhenInspected_ThenItIsShapedLikeMedComsOkExample()
    {
        var original = ReceivedMessage();
        var example = MedCom.Json($"{MedCom.Acknowledgements}/{OkExample}");

        var ack = JsonNode.Parse(Factory.Create(RequestFor(original, AcknowledgementCode.Ok)).FhirJson)!.AsObject();

        Assert.True(JsonNode.DeepEquals(example["meta"], ack["meta"]));
        Assert.Equal("message", (string?)ack["type"]);
        Assert.Matches(ZonedTimestamp(), (string)ack["timestamp"]!);
        Assert.True(Guid.TryParse((string)ack["id"]!, out _));
        var header = Entries(ack)[0]!["resource"]!.AsObject();
        var exampleHeader = Entries(example)[0]!["resource"]!.AsObject();
        Assert.Equal("MessageHeader", (string?)header["resourceType"]);
        Assert.True(JsonNode.DeepEquals(exampleHeader["meta"], header["meta"]));
        Assert.True(JsonNode.DeepEquals(exampleHeader["eventCoding"], header["eventCoding"]));
        Assert.True(JsonNode.DeepEquals(exampleHeader["destination"]![0]!["extension"], header["destination"]![0]!["extension"]));
        Assert.Equal("ok", (string?)header["response"]!["code"]);
        Assert.Null(header["response"]!["details"]);
        Assert.Empty(Resources(ack, "OperationOutcome"));
        Assert.Equal(2, Resources(ack, "Organization").Count());
        foreach (var organization in Resources(ack, "Organization"))
        {
            var systems = organization["identifier"]!.AsArray().Select(i => (string?)i!["system"]).ToList();
            Assert.Equal(["https://www.gs1.org/gln", "urn:oid:1.2.208.176.1.1"], systems);
            Assert.True(JsonNode.DeepEquals(Resources(example, "Organization").First()["meta"], organization["meta"]));
        }

        foreach (var entry in Entries(ack))
        {
            var resource = entry!["resource"]!;
            Assert.Equal($"https://medcomfhir.dk/ig/acknowledgement/{resource["resourceType"]}/{resource["id"]}", (string?)entry["fullUrl"]);
            Assert.Equal("generated", (string?)resource["text"]!["status"]);
        }
    }

    [Fact]
    public void GivenAck_WhenInspected_ThenItsProvenanceRevisesTheAcknowledgedMessage()
    {
        var original = ReceivedMessage();

        var built = Factory.Create(RequestFor(original, AcknowledgementCode.Ok));

        var ack = JsonNode.Parse(built.FhirJson)!.AsObject();
        var provenance = Assert.Single(Resources(ack, "Provenance"));
        var sender = (string)Entries(ack)[0]!["resource"]!["sender"]!["reference"]!;
        Assert.Equal($"MessageHeader/{built.MessageHeaderId}", (string?)provenance["target"]![0]!["reference"]);
        Assert.Equal("acknowledgement", (string?)provenance["activity"]!["coding"]![0]!["code"]);
        Assert.Equal("http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes",
            (string?)provenance["activity"]!["coding"]![0]!["system"]);
        Assert.Equal("revision", (string?)provenance["entity"]![0]!["role"]);
        Assert.Equal($"MessageHeader/{original.MessageHeaderId}", (string?)provenance["entity"]![0]!["what"]!["reference"]);
        Assert.Equal(sender, (string?)provenance["agent"]![0]!["who"]!["reference"]);
        Assert.Matches(ZonedTimestamp(), (string)provenance["occurredDateTime"]!);
    }

    [Fact]
    public void GivenFatalError_WhenAcknowledged_ThenOperationOutcomeCarriesTheMedComIssue()
    {
        var original = ReceivedMessage();
        var issue = new MedComIssue(MedComIssueCodes.CodeSystemValueUnknown,
            "The Provenance activity code is not in the MedCom activity CodeSystem.", "Bundle.entry[5].resource.activity");
        var example = MedCom.Json($"{MedCom.Acknowledgements}/{FatalExample}");

        var built = Factory.Create(RequestFor(original, AcknowledgementCode.FatalError) with { Issues = [issue] });

        var envelope = ParseOk(Encoding.UTF8.GetBytes(built.FhirJson)).Envelope;
        Assert.Equal("fatal-error", envelope.ResponseCode);
        Assert.Equal(original.MessageHeaderId, envelope.ResponseToMessageHeaderId);
        var ack = JsonNode.Parse(built.FhirJson)!.AsObject();
        var outcome = Assert.Single(Resources(ack, "OperationOutcome"));
        var exampleOutcome = Resources(example, "OperationOutcome").Single();
        Assert.True(JsonNode.DeepEquals(exampleOutcome["meta"], outcome["meta"]));
        Assert.Equal($"OperationOutcome/{outcome["id"]}", (string?)Entries(ack)[0]!["resource"]!["response"]!["details"]!["reference"]);
        var written = Assert.Single(outcome["issue"]!.AsArray())!;
        Assert.Equal("error", (string?)written["severity"]);
        Assert.Equal("structure", (string?)written["code"]);
        Assert.Equal("http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-acknowledgement-error-codes",
            (string?)written["details"]!["coding"]![0]!["system"]);
        Assert.Equal(MedComIssueCodes.CodeSystemValueUnknown, (string?)written["details"]!["coding"]![0]!["code"]);
        Assert.Equal(issue.Text, (string?)written["details"]!["text"]);
        Assert.Equal(issue.Path, (string?)written["expression"]![0]);
        Assert.Equal("OperationOutcome", (string?)Entries(ack)[^1]!["resource"]!["resourceType"]);
    }

    [Fact]
    public void GivenMedComsFatalExampleIssue_WhenAcknowledged_ThenIssueTypeMatchesTheExample()
    {
        var example = MedCom.Json($"{MedCom.Acknowledgements}/{FatalExample}");
        var exampleIssue = Resources(example, "OperationOutcome").Single()["issue"]![0]!;
        var request = RequestFor(ReceivedMessage(), AcknowledgementCode.FatalError) with
        {
            Issues = [new MedComIssue((string)exampleIssue["details"]!["coding"]![0]!["code"]!, "", null)],
        };

        var ack = JsonNode.Parse(Factory.Create(request).FhirJson)!.AsObject();

        var issue = Resources(ack, "OperationOutcome").Single()["issue"]![0]!.AsObject();
        Assert.True(JsonNode.DeepEquals(exampleIssue, issue), issue.ToJsonString());
    }

    [Fact]
    public void GivenTransientErrorWithHl7Code_WhenAcknowledged_ThenCodeAndCodeSystemAreRight()
    {
        var request = RequestFor(ReceivedMessage(), AcknowledgementCode.TransientError) with
        {
            Issues = [new MedComIssue("MSG_BAD_SYNTAX", "Could not be read", null)],
        };

        var built = Factory.Create(request);

        Assert.Equal("transient-error", ParseOk(Encoding.UTF8.GetBytes(built.FhirJson)).Envelope.ResponseCode);
        var coding = Resources(JsonNode.Parse(built.FhirJson)!.AsObject(), "OperationOutcome").Single()["issue"]![0]!["details"]!["coding"]![0]!;
        Assert.Equal("http://terminology.hl7.org/CodeSystem/operation-outcome", (string?)coding["system"]);
    }

    [Fact]
    public void GivenErrorWithoutIssues_WhenAcknowledged_ThenArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Factory.Create(RequestFor(ReceivedMessage(), AcknowledgementCode.FatalError)));
    }

    [Fact]
    public void GivenSameRequestTwice_WhenAcknowledged_ThenEachAckHasNewIds()
    {
        var request = RequestFor(ReceivedMessage(), AcknowledgementCode.Ok);

        var first = Factory.Create(request);
        var second = Factory.Create(request);

        Assert.NotEqual(first.BundleId, second.BundleId);
        Assert.NotEqual(first.MessageHeaderId, second.MessageHeaderId);
    }

    [Fact]
    public void GivenTextsWithMarkup_WhenAcknowledged_ThenNarrativesStayValid()
    {
        var request = RequestFor(ReceivedMessage(), AcknowledgementCode.FatalError) with
        {
            From = new OrganizationIdentity("5790001348120", "953741000016009", "Plejecenter <Herlev> & \"Co\""),
            Issues = [new MedComIssue(MedComIssueCodes.DatatypeWrong, "<script>alert(1)</script>", "Bundle.entry[0]")],
        };

        ParseOk(Encoding.UTF8.GetBytes(Factory.Create(request).FhirJson));
    }

    [Fact]
    public void GivenUnidentifiedReceiver_WhenAcknowledgedWithReceiverMissing_ThenAckIsStillBuilt()
    {
        var request = RequestFor(ReceivedMessage(), AcknowledgementCode.FatalError) with
        {
            From = new OrganizationIdentity(null, null, null),
            FromEndpoint = "urn:hub",
            Issues = [new MedComIssue(MedComIssueCodes.ReceiverIdentifierMissing, "No receiver", "Bundle.entry[0].resource.destination")],
        };

        var envelope = ParseOk(Encoding.UTF8.GetBytes(Factory.Create(request).FhirJson)).Envelope;

        Assert.Null(envelope.Sender.Ean);
        Assert.Equal("Unidentified organisation", envelope.Sender.Name);
        Assert.Equal("urn:hub", envelope.SourceEndpoint);
        Assert.Equal("fatal-error", envelope.ResponseCode);
    }

    /// <summary>Acknowledgements of every shape the factory makes: each code, issues with and without text, rule and
    /// path, organisations known by EAN, SOR, both, a name alone or nothing, and texts that need escaping in JSON and
    /// XHTML.</summary>
    public static TheoryData<string> Shapes => [.. ShapesByName.Keys];

    private static readonly Dictionary<string, Func<AcknowledgementRequest, AcknowledgementRequest>> ShapesByName = new()
    {
        ["ok"] = r => r,
        ["fatal-error, one MedCom issue with rule and path"] = r => r with
        {
            Code = AcknowledgementCode.FatalError,
            Issues = [new MedComIssue(MedComIssueCodes.DatatypeWrong, "Patient.identifier is not a well-formed CPR number.", "Bundle.entry[2].resource.identifier", "hub-cpr")],
        },
        ["fatal-error, issues of both code systems, some parts empty"] = r => r with
        {
            Code = AcknowledgementCode.FatalError,
            Issues =
            [
                new MedComIssue(MedComIssueCodes.ReceiverIdentifierUnknown, "", null),
                new MedComIssue("MSG_BAD_SYNTAX", "Could not be read", null, ""),
                new MedComIssue(MedComIssueCodes.CodeSystemValueUnknown, "  ", "Bundle.entry[5].resource.activity", "medcom-messaging-provenance-1"),
            ],
        },
        ["transient-error"] = r => r with
        {
            Code = AcknowledgementCode.TransientError,
            Issues = [new MedComIssue(MedComIssueCodes.MailboxOutOfOperation, "Try again later", null)],
        },
        ["organisations by SOR alone, by EAN alone, by nothing"] = r => r with
        {
            From = new OrganizationIdentity(null, "953741000016009", null),
            To = new OrganizationIdentity("5790001348120", null, null),
        },
        ["an unidentified organisation"] = r => r with
        {
            From = new OrganizationIdentity(null, null, null),
            FromEndpoint = "urn:hub",
            Code = AcknowledgementCode.FatalError,
            Issues = [new MedComIssue(MedComIssueCodes.ReceiverIdentifierMissing, "No receiver", "Bundle.entry[0].resource.destination")],
        },
        ["texts with markup, quotes, Danish letters, controls and non-BMP characters"] = r => r with
        {
            From = new OrganizationIdentity("5790001348120", "953741000016009", "Plejecenter <Herlev> & \"Co\" – Åbenrå/Ærø \\ 'ø'"),
            To = new OrganizationIdentity(null, "123", "Sygehus\tSønderjylland\n😀"),
            ToEndpoint = "https://example.org/ack?a=1&b=<2>",
            Code = AcknowledgementCode.FatalError,
            Issues = [new MedComIssue(MedComIssueCodes.DatatypeWrong, "<script>alert('x')</script>\u0001\u2028", "Bundle.entry[0]", "rule<&>")],
        },
        ["organisations with empty and blank identifiers"] = r => r with
        {
            From = new OrganizationIdentity("", "  ", null),
            To = new OrganizationIdentity(" ", "953741000016009", ""),
        },
        ["a UTC timestamp with fractions of a second"] = r => r with { CreatedAt = new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.Zero).AddTicks(1234567) },
        ["a timestamp with a negative offset"] = r => r with { CreatedAt = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5.5)).AddMilliseconds(120) },
    };

    /// <summary>The factory writes the acknowledgement's JSON itself (docs/adr/0025-acknowledgements-written-as-json.md):
    /// Firely, reading it (strictly) and writing it again, gives back the very same text, so it is a valid Bundle in
    /// Firely's element order and escaping; its times are as Firely formats the same instant (Firely keeps a date's
    /// text as read, so the round trip alone would not tell).</summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void GivenAnyAcknowledgement_WhenFirelyReadsAndWritesItAgain_ThenTheTextIsTheSame(string shape)
    {
        var request = ShapesByName[shape](RequestFor(ReceivedMessage(), AcknowledgementCode.Ok));

        var json = Factory.Create(request).FhirJson;

        var strict = new DeserializerSettings().UsingMode(DeserializationMode.Strict);
        var bundle = new FhirJsonDeserializer(strict).Deserialize<Bundle>(json);
        Assert.Equal(FhirJsonSerializer.Default.SerializeToString(bundle), json);
        ParseOk(Encoding.UTF8.GetBytes(json));
        var asFirelyWritesIt = new FhirDateTime(request.CreatedAt).Value;
        var ack = JsonNode.Parse(json)!.AsObject();
        var provenance = Resources(ack, "Provenance").Single();
        Assert.Equal(asFirelyWritesIt, (string?)ack["timestamp"]);
        Assert.Equal(asFirelyWritesIt, (string?)provenance["occurredDateTime"]);
        Assert.Equal(asFirelyWritesIt, (string?)provenance["recorded"]);
    }

    [Fact]
    public void GivenTextWithCharactersXmlCannotHold_WhenMadeFitForANarrative_ThenEachIsReplacedAndTheRestKept()
    {
        Assert.Equal("a\uFFFDb\t😀\uFFFDc\uFFFD\uFFFD", Integration.Fhir.Acknowledgements.Narratives.XmlCharactersOnly("a\u0001b\t😀\uD800c\uFFFE\uDC00"));
        var clean = "Åbenrå 😀 <p>";
        Assert.Same(clean, Integration.Fhir.Acknowledgements.Narratives.XmlCharactersOnly(clean));
    }

    private static MessageEnvelope ReceivedMessage() =>
        ParseOk(MedCom.Bytes(MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"))).Envelope;

    private static AcknowledgementRequest RequestFor(MessageEnvelope original, AcknowledgementCode code) => new()
    {
        RespondsToMessageHeaderId = original.MessageHeaderId,
        From = original.Receivers[0],
        FromEndpoint = original.DestinationEndpoint!,
        To = original.Sender,
        ToEndpoint = original.SourceEndpoint!,
        Code = code,
        CreatedAt = CreatedAt,
    };

    [GeneratedRegex(@"T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex ZonedTimestamp();
}

using System.Text.Json.Nodes;
using Integration.Fhir.Tests.CareCommunications;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Acknowledgements;

/// <summary>
/// Acknowledgements the hub receives: MedCom's IG examples, MedCom's receive test ACKs (file names name sections of MedCom's
/// test protocol; their AE/AR letters follow MedCom's old mapping, AR = transient-error, AE = fatal-error, and response.code
/// is what counts), the ACKs of the OIOXML conversion examples, and ACKs built by <see cref="IAcknowledgementFactory"/>.
/// </summary>
public sealed class AcknowledgementReaderTests
{
    private const string CareCommunicationNew = "42cb9200-f421-4d08-8391-7d51a2503cb4";
    private const string UnknownMessage = "53128d9b-cede-4c7f-8904-809eab322d7d";
    private static readonly DateTimeOffset CreatedAt = new(2024, 5, 1, 10, 15, 30, TimeSpan.FromHours(2));

    private static readonly IAcknowledgementReader Reader = FhirServices.AcknowledgementReader;

    /// <summary>File, response.identifier, response.code, the issues' codes.</summary>
    public static TheoryData<string, string, AcknowledgementCode, string[]> Examples() => new()
    {
        { $"{MedCom.Acknowledgements}/Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json", CareCommunicationNew, AcknowledgementCode.Ok, [] },
        { $"{MedCom.Acknowledgements}/Bundle-bc9535ef-ed94-4060-a928-7baddec7ee71.json", UnknownMessage, AcknowledgementCode.FatalError, [MedComIssueCodes.ValueSetValueUnknown] },
        { $"{MedCom.Acknowledgements}/Bundle-c9c2b2f6-0807-11ed-861d-0242ac120002.json", UnknownMessage, AcknowledgementCode.TransientError, [MedComIssueCodes.MailboxOutOfOperation] },
        { Test("Ack_3.3.1.1_A-AA.xml"), CareCommunicationNew, AcknowledgementCode.Ok, [] },
        { Test("Ack_3.3.2.1_A_AE.xml"), UnknownMessage, AcknowledgementCode.FatalError, [MedComIssueCodes.ValueSetValueUnknown] },
        { Test("Ack_3.3.3.1_A_AR.xml"), UnknownMessage, AcknowledgementCode.TransientError, [MedComIssueCodes.MailboxOutOfOperation] },
        { Test("Ack_3.3.3.3_A-AA.xml"), CareCommunicationNew, AcknowledgementCode.Ok, [] },
        // An informational issue with a text and no detail code: its FHIR issue type stands in.
        { Test("Ack_3.3.3.4_A_AR.xml"), UnknownMessage, AcknowledgementCode.TransientError, ["informational"] },
        { Test("Ack_3.3.3.6_A_AE.xml"), UnknownMessage, AcknowledgementCode.FatalError, [MedComIssueCodes.ValueSetValueUnknown] },
        { Test("Ack_3.4.1_A_AA.xml"), CareCommunicationNew, AcknowledgementCode.Ok, [] },
        { Test("Ack_3.4.2_A-AA.xml"), CareCommunicationNew, AcknowledgementCode.Ok, [] },
        { Test("Ack_3.4.4_A_AE.json"), UnknownMessage, AcknowledgementCode.FatalError, [MedComIssueCodes.ValueSetValueUnknown] },
        // MedCom's TouchStone fixtures (named Binary-… there); their code system medcom-acknowledgement-issue-details is older.
        { Test("Binary-Ack-AA_A.json"), CareCommunicationNew, AcknowledgementCode.Ok, [] },
        { Test("Binary-Ack-AE_C.json"), "5b89a5d0-707a-4b42-8597-ef694e399006", AcknowledgementCode.FatalError, ["message-development-error"] },
        { Test("Binary-Ack-AR_B.json"), CareCommunicationNew, AcknowledgementCode.TransientError, ["message-development-error"] },
        { $"{ExampleJson.OioxmlConversion}/Flow2-Acknowledgement_Ex_to_OIOXML.xml", "60098c38-6fe1-41ba-aa92-d4809022de88", AcknowledgementCode.Ok, [] },
        { $"{ExampleJson.OioxmlConversion}/Flow4-Acknowledgement_Ex_from_OIOXML.xml", "080d88be-177c-42a4-9124-de4e73ad485a", AcknowledgementCode.Ok, [] },
    };

    [Fact]
    public void GivenAckFolders_WhenListed_ThenEveryAcknowledgementIsCoveredByATest()
    {
        var covered = Examples().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        var acks = new[] { MedCom.Acknowledgements, ExampleJson.AcknowledgementTestExamples, ExampleJson.OioxmlConversion }
            .SelectMany(folder => ExampleJson.Files(folder).Select(f => $"{folder}/{f}"))
            .Where(f => FhirServices.Parser.Parse(MedCom.Bytes(f), f.EndsWith(".xml", StringComparison.Ordinal) ? FhirFormat.Xml : FhirFormat.Json)
                .Message?.Envelope.MessageType == "acknowledgement-message");

        Assert.Equal(acks.Order(StringComparer.Ordinal), covered.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void GivenMedComAcknowledgement_WhenRead_ThenWhatItAnswersHowAndWhyAreRead(
        string file, string respondsTo, AcknowledgementCode code, string[] issueCodes)
    {
        var result = Reader.Read(ExampleJson.Of(file));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Code} {e.Path}: {e.Text}")));
        var ack = result.Acknowledgement!;
        Assert.Equal(respondsTo, ack.RespondsToMessageHeaderId);
        Assert.Equal(code, ack.Code);
        Assert.Equal(issueCodes, ack.Issues.Select(i => i.Code));
    }

    [Fact]
    public void GivenInformationalIssueWithOnlyAText_WhenRead_ThenTheTextIsKept()
    {
        var ack = Reader.Read(ExampleJson.Of(Test("Ack_3.3.3.4_A_AR.xml"))).Acknowledgement!;

        Assert.Equal("No summary for the Patient instance.", Assert.Single(ack.Issues).Text);
    }

    [Theory]
    [InlineData(AcknowledgementCode.Ok)]
    [InlineData(AcknowledgementCode.TransientError)]
    [InlineData(AcknowledgementCode.FatalError)]
    public void GivenAckBuiltByTheFactory_WhenReadBack_ThenRequestAndReadAgree(AcknowledgementCode code)
    {
        var issues = code == AcknowledgementCode.Ok
            ? Array.Empty<MedComIssue>()
            : [
                new MedComIssue(MedComIssueCodes.ReceiverIdentifierUnknown, "No partner with this EAN is known to the hub.",
                    "Bundle.entry[0].resource.destination[0].receiver"),
                new MedComIssue("MSG_BAD_SYNTAX", "The body is not valid FHIR JSON.", null),
            ];
        var request = new AcknowledgementRequest
        {
            RespondsToMessageHeaderId = "b9b4818e-02de-4cc4-b418-d20cbc7b5404",
            From = new OrganizationIdentity("5790001348120", "953741000016009", "Plejecenter Herlev"),
            FromEndpoint = "https://sor2.sum.dsdn.dk/#id=953741000016009",
            To = new OrganizationIdentity("5790000209354", "265161000016000", null),
            ToEndpoint = "https://sor2.sum.dsdn.dk/#id=265161000016000",
            Code = code,
            Issues = issues,
            CreatedAt = CreatedAt,
        };

        var result = Reader.Read(FhirServices.AcknowledgementFactory.Create(request).FhirJson);

        Assert.True(result.Succeeded);
        Assert.Equal(request.RespondsToMessageHeaderId, result.Acknowledgement!.RespondsToMessageHeaderId);
        Assert.Equal(code, result.Acknowledgement.Code);
        Assert.Equal(issues, result.Acknowledgement.Issues);
    }

    [Fact]
    public void GivenMessageThatIsNotAnAcknowledgement_WhenRead_ThenItIsRefused()
    {
        var json = MedCom.Text(MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"));

        var error = Assert.Single(Reader.Read(json).Errors);

        Assert.Equal(MedComIssueCodes.ReceiverUnableToReceiveMessageType, error.Code);
        Assert.Equal("Bundle.entry[0].resource.eventCoding", error.Path);
    }

    [Fact]
    public void GivenEmptyMessageFromTheAckIg_WhenRead_ThenItIsNotAnAcknowledgement()
    {
        var result = Reader.Read(MedCom.Text($"{MedCom.Acknowledgements}/Bundle-eb26be85-fdb7-454d-a980-95cba6d1745b.json"));

        Assert.Equal(MedComIssueCodes.ReceiverUnableToReceiveMessageType, Assert.Single(result.Errors).Code);
    }

    [Theory]
    [InlineData(null, "Bundle.entry[0].resource.response")]
    [InlineData("identifier", "Bundle.entry[0].resource.response.identifier")]
    public void GivenAcknowledgementWithoutResponse_WhenRead_ThenTheMissingElementIsNamed(string? removed, string path)
    {
        var json = OkExample();
        var header = Entries(json)[0]!["resource"]!.AsObject();
        if (removed is null)
        {
            header.Remove("response");
        }
        else
        {
            header["response"]!.AsObject().Remove(removed);
        }

        var result = Reader.Read(json.ToJsonString());

        Assert.Null(result.Acknowledgement);
        Assert.Contains(result.Errors, e => e.Path == path);
    }

    [Fact]
    public void GivenFatalErrorWhoseDetailsNameNoResource_WhenRead_ThenItIsStillMatchedWithoutIssues()
    {
        var json = MedCom.Json($"{MedCom.Acknowledgements}/Bundle-bc9535ef-ed94-4060-a928-7baddec7ee71.json");
        Entries(json)[0]!["resource"]!["response"]!["details"]!["reference"] = "OperationOutcome/gone";

        var ack = Reader.Read(json.ToJsonString()).Acknowledgement!;

        Assert.Equal(AcknowledgementCode.FatalError, ack.Code);
        Assert.Empty(ack.Issues);
    }

    [Fact]
    public void GivenBodyThatIsNotFhir_WhenRead_ThenAnErrorAndNoException()
    {
        Assert.Equal(MedComIssueCodes.DatatypeWrong, Assert.Single(Reader.Read("[]").Errors).Code);
    }

    private static string Test(string file) => $"{ExampleJson.AcknowledgementTestExamples}/{file}";

    private static JsonObject OkExample() => MedCom.Json($"{MedCom.Acknowledgements}/Bundle-a8c041b8-c65a-4fde-a90f-962076918834.json");
}

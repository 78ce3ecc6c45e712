using System.Text;
using System.Text.Json.Nodes;
using Integration.Fhir.Tests.Validation;
using static Integration.Fhir.Tests.Messages;
using static Integration.Fhir.Tests.Rehabilitation.Outgoing.OutgoingRequests;

namespace Integration.Fhir.Tests.Rehabilitation.Outgoing;

/// <summary>The admission-report factory builds what contracts/profiles/admission-report.md defines: the hub's parser takes
/// it, both validators find nothing, and the reader gives back every value, every legal basis included.</summary>
public sealed class AdmissionReportMessageTests
{
    private static readonly IAdmissionReportFactory Factory = FhirServices.AdmissionReportFactory;
    private static readonly IAdmissionReportReader Reader = FhirServices.AdmissionReportReader;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GivenReport_WhenBuilt_ThenItParsesAndValidatesWithoutIssues(bool withPackages)
    {
        var request = AdmissionReport();

        var built = Factory.Create(request);
        var parsed = ParseOk(Encoding.UTF8.GetBytes(built.FhirJson));
        var report = Validators.Get(withPackages).Validate(parsed.FhirJson);

        Assert.True(report.Issues.Count == 0, Validators.Describe(report));
        Assert.Equal("admission-report-message", parsed.Envelope.MessageType);
        Assert.Equal(built.BundleId, parsed.Envelope.BundleId);
        Assert.Equal(built.MessageHeaderId, parsed.Envelope.MessageHeaderId);
        Assert.Equal(request.From, parsed.Envelope.Sender);
        Assert.Equal(request.To, Assert.Single(parsed.Envelope.Receivers));
        Assert.True(parsed.Envelope.CitizenCpr == request.CitizenCpr, "the envelope does not carry the citizen's CPR");
    }

    [Fact]
    public void GivenReport_WhenBuiltAndRead_ThenEveryValueComesBack()
    {
        var request = AdmissionReport();
        var built = Factory.Create(request);

        var result = Reader.Read(built.FhirJson);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Code} at {e.Path}")));
        var read = result.Message!;
        Assert.Equal(built.MessageHeaderId, read.MessageHeaderId);
        Assert.Equal(request.CreatedAt, read.SentAt);
        Assert.Equal(request.From, read.From);
        Assert.Equal(request.FromEndpoint, read.FromEndpoint);
        Assert.Equal(request.To, read.To);
        Assert.Equal(request.ToEndpoint, read.ToEndpoint);
        Assert.True(read.CitizenCpr == request.CitizenCpr, "the CPR read back differs");
        Assert.Equal(request.AnsweredNotificationMessageHeaderId, read.AnsweredNotificationMessageHeaderId);
        Assert.Equal(request.StayIdentifier, read.StayIdentifier);
        Assert.Equal(request.Services, read.Services);
        Assert.Equal(request.Contact, read.Contact);
    }

    [Fact]
    public void GivenReport_WhenListed_ThenEveryLegalBasisIsCovered() =>
        Assert.Equal(Enum.GetValues<ServiceLegalBasis>().ToHashSet(), AdmissionReport().Services.Select(s => s.LegalBasis).ToHashSet());

    [Fact]
    public void GivenReport_WhenInspected_ThenItAnswersTheNotificationAndTheStay()
    {
        var request = AdmissionReport();

        var bundle = JsonNode.Parse(Factory.Create(request).FhirJson)!.AsObject();

        var types = Entries(bundle).Select(e => (string?)e!["resource"]!["resourceType"]).ToList();
        Assert.Equal(["MessageHeader", "Provenance", "Organization", "Organization", "Patient", "CarePlan", "Organization"], types);
        var entity = OwnProvenance(bundle)["entity"]![0]!;
        Assert.Equal("revision", (string?)entity["role"]);
        Assert.Equal($"MessageHeader/{request.AnsweredNotificationMessageHeaderId}", (string?)entity["what"]!["reference"]);
        Assert.Equal("admission-report", (string?)OwnProvenance(bundle)["activity"]!["coding"]![0]!["code"]);
        var carePlan = Resources(bundle, "CarePlan").Single();
        var stay = carePlan["supportingInfo"]![0]!;
        Assert.Equal("EpisodeOfCare", (string?)stay["type"]);
        Assert.Equal("https://sor2.sum.dsdn.dk/#id=265161000016000", (string?)stay["identifier"]!["system"]);
        Assert.Equal(request.StayIdentifier, (string?)stay["identifier"]!["value"]);
        Assert.Equal(request.Services.Count, carePlan["activity"]!.AsArray().Count);
        Assert.Contains("&lt;medicin &amp; sår&gt;", (string)carePlan["text"]!["div"]!, StringComparison.Ordinal);
        Assert.All(Entries(bundle), e => Assert.DoesNotContain(SyntheticCpr, (string)e!["resource"]!["text"]!["div"]!, StringComparison.Ordinal));
    }

    public static TheoryData<string> IncompleteRequests() => new(
        "no services", "service without name", "unknown legal basis", "contact without phone", "no notification id", "no stay", "no EAN on sender");

    [Theory]
    [MemberData(nameof(IncompleteRequests))]
    public void GivenIncompleteRequest_WhenBuilt_ThenItIsRefused(string what)
    {
        var request = what switch
        {
            "no services" => AdmissionReport() with { Services = [] },
            "service without name" => AdmissionReport() with { Services = [new MunicipalService(" ", ServiceLegalBasis.Serviceloven83)] },
            "unknown legal basis" => AdmissionReport() with { Services = [new MunicipalService("Hjælp", (ServiceLegalBasis)99)] },
            "contact without phone" => AdmissionReport() with { Contact = new MunicipalUnit("Hjemmeplejen") },
            "no notification id" => AdmissionReport() with { AnsweredNotificationMessageHeaderId = "" },
            "no stay" => AdmissionReport() with { StayIdentifier = "" },
            _ => AdmissionReport() with { From = Herlev with { Ean = null } },
        };

        var thrown = Assert.ThrowsAny<ArgumentException>(() => Factory.Create(request));
        Assert.DoesNotContain(SyntheticCpr, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenEpisodeStatus_WhenReadAsAdmissionReport_ThenTheReaderSaysItIsAnotherType()
    {
        var status = FhirServices.EpisodeStatusFactory.Create(Received());

        var result = Reader.Read(status.FhirJson);

        Assert.False(result.Succeeded);
        Assert.Equal(MedComIssueCodes.ReceiverUnableToReceiveMessageType, Assert.Single(result.Errors).Code);
    }

    [Theory]
    [InlineData("MessageHeader/4c3b2a19", "4c3b2a19")]
    [InlineData("https://medcomfhir.dk/ig/hospitalnotification/MessageHeader/4c3b2a19", "4c3b2a19")]
    [InlineData("Organization/4c3b2a19", null)]
    [InlineData("XMessageHeader/4c3b2a19", null)]
    [InlineData("MessageHeader/", null)]
    [InlineData(null, null)]
    public void GivenProvenanceEntityReference_WhenReadAsAnsweredMessage_ThenOnlyMessageHeaderReferencesCount(string? reference, string? expected) =>
        Assert.Equal(expected, Integration.Fhir.Rehabilitation.Outgoing.AdmissionReportReader.MessageHeaderId(reference));
}

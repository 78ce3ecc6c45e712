using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Integration.Fhir.Tests.Validation;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Rehabilitation.Outgoing;

/// <summary>The episode-status and admission-report examples in contracts/examples are what the profiles promise: the hub's
/// strict parser takes them, both validators find nothing, and the readers read what the files say.</summary>
public sealed class OutgoingExampleTests
{
    public const string Received = "episode-status-received.json";
    public const string StartPlanned = "episode-status-start-planned.json";
    public const string Completed = "episode-status-completed.json";
    public const string Cancelled = "episode-status-cancelled.json";
    public const string AdmissionReport = "admission-report.json";

    public static TheoryData<string, string, bool> Examples()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (file, type) in new[]
                 {
                     (Received, "episode-status-message"), (StartPlanned, "episode-status-message"), (Completed, "episode-status-message"),
                     (Cancelled, "episode-status-message"), (AdmissionReport, "admission-report-message"),
                 })
        {
            data.Add(file, type, false);
            data.Add(file, type, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void GivenOutgoingExample_WhenParsedAndValidated_ThenItHasNoIssues(string file, string eventCode, bool withPackages)
    {
        var parsed = ParseOk(ContractExamples.Bytes(file));

        var report = Validators.Get(withPackages).Validate(parsed.FhirJson);

        Assert.Equal(eventCode, parsed.Envelope.MessageType);
        Assert.Equal("Plejecenter Herlev", parsed.Envelope.Sender.Name);
        Assert.Single(parsed.Envelope.Receivers);
        Assert.NotNull(parsed.Envelope.CitizenCpr);
        Assert.True(report.Issues.Count == 0, Validators.Describe(report));
    }

    [Theory]
    [InlineData(Received, EpisodeStatus.Received)]
    [InlineData(StartPlanned, EpisodeStatus.StartPlanned)]
    [InlineData(Completed, EpisodeStatus.Completed)]
    [InlineData(Cancelled, EpisodeStatus.Cancelled)]
    public void GivenEpisodeStatusExample_WhenRead_ThenItSaysWhatTheFileSays(string file, EpisodeStatus status)
    {
        var result = FhirServices.EpisodeStatusReader.Read(ContractExamples.Load(file).Json);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Code} at {e.Path}")));
        var read = result.Message!;
        Assert.Equal(status, read.Status);
        Assert.Equal("953741000016009", read.From.Sor);
        Assert.Equal("Træningsenheden, Herlev Kommune", read.ResponsibleUnit.Name);
        switch (status)
        {
            case EpisodeStatus.Received:
                // Answers the training plan of contracts/examples/training-plan-new.json.
                Assert.Equal(new RequestIdentifier("urn:uuid:ab592b56-e8aa-44e2-97e8-efa9d6cc8b9b", "urn:ietf:rfc:3986"), read.AnsweredRequest);
                Assert.Equal("5790000209354", read.To.Ean);
                Assert.Null(read.PlannedStart);
                break;
            case EpisodeStatus.StartPlanned:
                Assert.Equal(new DateOnly(2025, 3, 12), read.PlannedStart);
                break;
            case EpisodeStatus.Completed:
                Assert.Equal("Arden Lægehus", read.To.Name);
                Assert.Equal(EpisodeOutcome.ReducedHelp, read.Outcome);
                Assert.Equal(new DateOnly(2025, 3, 12), read.StartedOn);
                Assert.Equal(new DateOnly(2025, 6, 4), read.EndedOn);
                break;
            case EpisodeStatus.Cancelled:
                Assert.StartsWith("Borgeren har valgt en anden leverandør", read.CancelReason, StringComparison.Ordinal);
                break;
        }
    }

    [Fact]
    public void GivenAdmissionReportExample_WhenRead_ThenItSaysWhatTheFileSays()
    {
        var result = FhirServices.AdmissionReportReader.Read(ContractExamples.Load(AdmissionReport).Json);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => $"{e.Code} at {e.Path}")));
        var read = result.Message!;
        Assert.Equal("4c3b2a19-8f7e-4d6c-b5a4-392817f6e5d4", read.AnsweredNotificationMessageHeaderId);
        Assert.Equal("7e2d9c41-5b3a-11ef-9f1c-0242ac120003", read.StayIdentifier);
        Assert.Equal(4, read.Services.Count);
        Assert.Equal(new MunicipalService("Personlig pleje (bad, påklædning)", ServiceLegalBasis.Serviceloven83, "Morgen og aften, dagligt"), read.Services[0]);
        Assert.Equal(ServiceLegalBasis.Sundhedsloven138, read.Services[2].LegalBasis);
        Assert.Equal(new MunicipalUnit("Hjemmeplejen Herlev, Område Nord", null, "+45 44 52 70 00", "Anne Holm, sygeplejerske"), read.Contact);
    }

    [Theory]
    [InlineData(Completed)]
    [InlineData(AdmissionReport)]
    public void GivenOutgoingExampleAsXml_WhenParsedAndValidated_ThenItIsValidToo(string file)
    {
        var xml = FhirXmlSerializer.Default.SerializeToString(FhirJsonDeserializer.DEFAULT.Deserialize<Bundle>(ContractExamples.Load(file).Json));

        var parsed = ParseOk(Encoding.UTF8.GetBytes(xml), FhirFormat.Xml);
        var report = Validators.WithPackages.Validate(parsed.FhirJson);

        Assert.True(report.Issues.Count == 0, Validators.Describe(report));
    }

    [Fact]
    public void GivenPackagesFolder_WhenLoaded_ThenTheOutgoingTypesGetMedComsEnvelopeAndOrganizationProfiles()
    {
        foreach (var type in new[] { "episode-status-message", "admission-report-message" })
        {
            var profiles = Validators.PackagesDescription.Profiles.Where(p => p.MessageType == type).Select(p => p.Profile).ToList();
            Assert.Contains(profiles, p => p.EndsWith("/medcom-messaging-message", StringComparison.Ordinal));
            Assert.Contains(profiles, p => p.EndsWith("/medcom-messaging-organization", StringComparison.Ordinal));
        }
    }
}

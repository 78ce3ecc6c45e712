using System.Text;
using System.Text.Json.Nodes;
using Integration.Fhir.Tests.Validation;
using static Integration.Fhir.Tests.Messages;
using static Integration.Fhir.Tests.Rehabilitation.Outgoing.OutgoingRequests;

namespace Integration.Fhir.Tests.Rehabilitation.Outgoing;

/// <summary>The episode-status factory builds what contracts/profiles/episode-status.md defines: the hub's parser takes it,
/// both validators find nothing, and the reader gives back every value, for every status and outcome.</summary>
public sealed class EpisodeStatusMessageTests
{
    private static readonly IEpisodeStatusFactory Factory = FhirServices.EpisodeStatusFactory;
    private static readonly IEpisodeStatusReader Reader = FhirServices.EpisodeStatusReader;

    public static TheoryData<int, bool> EveryStatusWithBothValidators()
    {
        var data = new TheoryData<int, bool>();
        for (var i = 0; i < EveryStatus().Count(); i++)
        {
            data.Add(i, false);
            data.Add(i, true);
        }

        return data;
    }

    public static TheoryData<int> EveryStatusIndex() => new(Enumerable.Range(0, EveryStatus().Count()));

    [Theory]
    [MemberData(nameof(EveryStatusWithBothValidators))]
    public void GivenEveryStatus_WhenBuilt_ThenItParsesAndValidatesWithoutIssues(int index, bool withPackages)
    {
        var request = EveryStatus().ElementAt(index);

        var built = Factory.Create(request);
        var parsed = ParseOk(Encoding.UTF8.GetBytes(built.FhirJson));
        var report = Validators.Get(withPackages).Validate(parsed.FhirJson);

        Assert.True(report.Issues.Count == 0, Validators.Describe(report));
        Assert.Equal("episode-status-message", parsed.Envelope.MessageType);
        Assert.Equal(built.BundleId, parsed.Envelope.BundleId);
        Assert.Equal(built.MessageHeaderId, parsed.Envelope.MessageHeaderId);
        Assert.Equal(request.From, parsed.Envelope.Sender);
        Assert.Equal(request.To, Assert.Single(parsed.Envelope.Receivers));
        Assert.Equal(request.FromEndpoint, parsed.Envelope.SourceEndpoint);
        Assert.Equal(request.ToEndpoint, parsed.Envelope.DestinationEndpoint);
        Assert.True(parsed.Envelope.CitizenCpr == request.CitizenCpr, "the envelope does not carry the citizen's CPR");
        Assert.Equal(request.CreatedAt, parsed.Envelope.Timestamp);
    }

    [Theory]
    [MemberData(nameof(EveryStatusIndex))]
    public void GivenEveryStatusAndOutcome_WhenBuiltAndRead_ThenEveryValueComesBack(int index)
    {
        var request = EveryStatus().ElementAt(index);
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
        Assert.Equal(request.EpisodeId, read.EpisodeId);
        Assert.Equal(request.AnsweredRequest, read.AnsweredRequest);
        Assert.Equal(request.Status, read.Status);
        Assert.Equal(request.PlannedStart, read.PlannedStart);
        Assert.Equal(request.StartedOn, read.StartedOn);
        Assert.Equal(request.EndedOn, read.EndedOn);
        Assert.Equal(request.Outcome, read.Outcome);
        Assert.Equal(request.CancelReason, read.CancelReason);
        Assert.Equal(request.ResponsibleUnit, read.ResponsibleUnit);
    }

    [Fact]
    public void GivenEveryStatusAndOutcome_WhenListed_ThenEachIsCovered()
    {
        var requests = EveryStatus().ToList();

        Assert.Equal(Enum.GetValues<EpisodeStatus>().ToHashSet(), requests.Select(r => r.Status).ToHashSet());
        Assert.Equal(Enum.GetValues<EpisodeOutcome>().ToHashSet(), requests.Where(r => r.Outcome is not null).Select(r => r.Outcome!.Value).ToHashSet());
    }

    [Theory]
    [InlineData(EpisodeStatus.Received, "episode-received", "waitlist")]
    [InlineData(EpisodeStatus.StartPlanned, "episode-start-planned", "planned")]
    [InlineData(EpisodeStatus.Started, "episode-started", "active")]
    [InlineData(EpisodeStatus.Completed, "episode-completed", "finished")]
    [InlineData(EpisodeStatus.Cancelled, "episode-cancelled", "cancelled")]
    public void GivenStatus_WhenBuilt_ThenProvenanceActivityAndEpisodeOfCareStatusSayIt(EpisodeStatus status, string activity, string episodeOfCareStatus)
    {
        var request = EveryStatus().First(r => r.Status == status);

        var bundle = JsonNode.Parse(Factory.Create(request).FhirJson)!.AsObject();

        var coding = OwnProvenance(bundle)["activity"]!["coding"]![0]!;
        Assert.Equal("http://rehab-hub.dk/fhir/CodeSystem/rehab-messaging-activityCodes", (string?)coding["system"]);
        Assert.Equal(activity, (string?)coding["code"]);
        Assert.Equal(episodeOfCareStatus, (string?)Resources(bundle, "EpisodeOfCare").Single()["status"]);
    }

    [Fact]
    public void GivenMessage_WhenInspected_ThenItIsShapedLikeAMedComMessage()
    {
        var bundle = JsonNode.Parse(Factory.Create(StartPlanned()).FhirJson)!.AsObject();

        Assert.Equal("message", (string?)bundle["type"]);
        var types = Entries(bundle).Select(e => (string?)e!["resource"]!["resourceType"]).ToList();
        Assert.Equal(["MessageHeader", "Provenance", "Organization", "Organization", "Patient", "EpisodeOfCare", "Organization"], types);
        var header = Entries(bundle)[0]!["resource"]!;
        Assert.Equal("http://rehab-hub.dk/fhir/CodeSystem/rehab-messaging-eventCodes", (string?)header["eventCoding"]!["system"]);
        Assert.Equal("primary", (string?)header["destination"]![0]!["extension"]![0]!["valueCoding"]!["code"]);
        Assert.Equal($"EpisodeOfCare/{Resources(bundle, "EpisodeOfCare").Single()["id"]}", (string?)header["focus"]![0]!["reference"]);
        Assert.All(Entries(bundle), e => Assert.StartsWith("<div xmlns=\"http://www.w3.org/1999/xhtml\">", (string)e!["resource"]!["text"]!["div"]!, StringComparison.Ordinal));
        Assert.All(Entries(bundle), e => Assert.EndsWith($"/{e!["resource"]!["resourceType"]}/{e["resource"]!["id"]}", (string)e["fullUrl"]!, StringComparison.Ordinal));
        var episode = Resources(bundle, "EpisodeOfCare").Single();
        Assert.Equal("2025-03-12", (string?)episode["period"]!["start"]);
        Assert.Equal("https://sor2.sum.dsdn.dk/#id=953741000016009", (string?)episode["identifier"]![0]!["system"]);
        Assert.Equal("ServiceRequest", (string?)episode["referralRequest"]![0]!["type"]);
    }

    [Fact]
    public void GivenMessage_WhenBuilt_ThenNoNarrativeRepeatsTheCpr()
    {
        var bundle = JsonNode.Parse(Factory.Create(Completed()).FhirJson)!.AsObject();

        Assert.All(Entries(bundle), e => Assert.DoesNotContain(SyntheticCpr, (string)e!["resource"]!["text"]!["div"]!, StringComparison.Ordinal));
    }

    [Fact]
    public void GivenTwoMessagesForOneRequest_WhenBuilt_ThenEachHasItsOwnBundleAndHeaderId()
    {
        var first = Factory.Create(Received());
        var second = Factory.Create(Received());

        Assert.NotEqual(first.BundleId, first.MessageHeaderId);
        Assert.NotEqual(first.BundleId, second.BundleId);
        Assert.NotEqual(first.MessageHeaderId, second.MessageHeaderId);
    }

    [Fact]
    public void GivenSentMessage_WhenResentInANewEnvelope_ThenTheHeaderIdStaysAndItIsStillValid()
    {
        // The ACK ledger resends with a new Bundle.id and the same MessageHeader.id (MedCom's reliable sending).
        var built = Factory.Create(Started());
        var resent = FhirServices.MessageReenveloper.Reenvelope(built.FhirJson, Guid.NewGuid().ToString("D"), CreatedAt.AddMinutes(30));

        var parsed = ParseOk(Encoding.UTF8.GetBytes(resent));

        Assert.NotEqual(built.BundleId, parsed.Envelope.BundleId);
        Assert.Equal(built.MessageHeaderId, parsed.Envelope.MessageHeaderId);
        Assert.True(Validators.WithPackages.Validate(resent).IsValid);
        Assert.Equal(built.MessageHeaderId, Reader.Read(resent).Message!.MessageHeaderId);
    }

    public static TheoryData<string> InconsistentRequests() => new(
        "start-planned without date", "started without date", "completed without outcome", "cancelled without reason",
        "received with outcome", "received with planned start", "started with cancel reason", "received with end date",
        "no SOR on sender", "no EAN on receiver", "unknown status", "no responsible unit name");

    [Theory]
    [MemberData(nameof(InconsistentRequests))]
    public void GivenRequestThatDoesNotFitItsStatus_WhenBuilt_ThenItIsRefused(string what)
    {
        var request = what switch
        {
            "start-planned without date" => StartPlanned() with { PlannedStart = null },
            "started without date" => Started() with { StartedOn = null },
            "completed without outcome" => Completed() with { Outcome = null },
            "cancelled without reason" => Cancelled() with { CancelReason = " " },
            "received with outcome" => Received() with { Outcome = EpisodeOutcome.Died },
            "received with planned start" => Received() with { PlannedStart = new DateOnly(2025, 3, 12) },
            "started with cancel reason" => Started() with { CancelReason = "no" },
            "received with end date" => Received() with { EndedOn = new DateOnly(2025, 3, 12) },
            "no SOR on sender" => Received() with { From = Herlev with { Sor = null } },
            "no EAN on receiver" => Received() with { To = Hospital with { Ean = null } },
            "unknown status" => Received() with { Status = (EpisodeStatus)42 },
            _ => Received() with { ResponsibleUnit = new MunicipalUnit("") },
        };

        var thrown = Assert.ThrowsAny<ArgumentException>(() => Factory.Create(request));
        Assert.DoesNotContain(SyntheticCpr, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenAdmissionReport_WhenReadAsEpisodeStatus_ThenTheReaderSaysItIsAnotherType()
    {
        var report = FhirServices.AdmissionReportFactory.Create(AdmissionReport());

        var result = Reader.Read(report.FhirJson);

        Assert.False(result.Succeeded);
        Assert.Equal(MedComIssueCodes.ReceiverUnableToReceiveMessageType, Assert.Single(result.Errors).Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"resourceType\":\"Patient\"}")]
    public void GivenNotAMessage_WhenRead_ThenErrorsNotExceptions(string json)
    {
        var result = Reader.Read(json);

        Assert.False(result.Succeeded);
        Assert.NotEmpty(result.Errors);
    }
}

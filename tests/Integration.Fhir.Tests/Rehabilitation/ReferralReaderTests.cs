using System.Text.Json.Nodes;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Rehabilitation;

/// <summary>The referral reader over the contract examples (Arden Lægehus → Hjemmesygeplejen, Aalborg) and over a revision
/// and a cancellation derived from them.</summary>
public sealed class ReferralReaderTests
{
    private static readonly IReferralReader Reader = FhirServices.ReferralReader;

    [Fact]
    public void GivenDiabetesReferral_WhenRead_ThenEveryValueIsTheReferrals()
    {
        var example = ContractExamples.Load(ContractExamples.ReferralDiabetes);

        var referral = ReadOk(example.Json);

        Assert.Equal("f28ffa26-a131-4058-8986-9228336d4576", referral.MessageHeaderId);
        Assert.Equal(RehabilitationRequestAction.New, referral.Action);
        Assert.Equal("urn:uuid:eb7c1605-3be7-4cd5-b17c-a335cd06678e", referral.ReferralIdentifier);
        Assert.Equal(ReferralProgramme.Diabetes, referral.Programme);
        Assert.Equal(new DiagnosisCode("urn:oid:1.2.208.176.2.4", "DE119", "Type 2-diabetes uden komplikationer"), referral.Reason);
        Assert.StartsWith("Nydiagnosticeret type 2-diabetes", referral.Note, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2025, 4, 2, 9, 10, 0, TimeSpan.FromHours(2)), referral.AuthoredOn);
        Assert.Equal(new DateTimeOffset(2025, 4, 2, 9, 30, 0, TimeSpan.FromHours(2)), referral.SentAt);
        Assert.Equal(new OrganizationIdentity("5790001387419", "382871000016004", "Arden Lægehus"), referral.Requester);
        Assert.Equal(Cpr(example.Bundle), referral.CitizenCpr);
        Assert.Null(referral.PreviousMessageHeaderId);
        Assert.Null(referral.StatusReason);
        Assert.Null(referral.GeneralPractitionerSor); // the referring practice, the sender, is the citizen's GP
    }

    [Fact]
    public void GivenReferralNamingTheCitizensGp_WhenRead_ThenTheGpsSorIsRead()
    {
        var example = ContractExamples.Load(ContractExamples.ReferralDiabetes);
        example.Patient["generalPractitioner"] = new JsonArray(
            new JsonObject { ["identifier"] = new JsonObject { ["system"] = "urn:oid:1.2.208.176.1.1", ["value"] = "1017421000016003" } });

        Assert.Equal("1017421000016003", ReadOk(example.Json).GeneralPractitionerSor);
    }

    [Fact]
    public void GivenFreePhysiotherapyReferral_WhenRead_ThenProgrammeAndReasonAreItsOwn()
    {
        var referral = ReadOk(ContractExamples.Load(ContractExamples.ReferralFreePhysiotherapy).Json);

        Assert.Equal(ReferralProgramme.FreePhysiotherapy, referral.Programme);
        Assert.Equal("DG35", referral.Reason.Code);
    }

    [Theory]
    [InlineData("diabetes", ReferralProgramme.Diabetes)]
    [InlineData("copd", ReferralProgramme.Copd)]
    [InlineData("heart", ReferralProgramme.Heart)]
    [InlineData("musculoskeletal", ReferralProgramme.Musculoskeletal)]
    [InlineData("free-physiotherapy", ReferralProgramme.FreePhysiotherapy)]
    [InlineData("home-nursing", ReferralProgramme.HomeNursing)]
    [InlineData("rehabilitation", ReferralProgramme.Rehabilitation)]
    public void GivenEachProgramme_WhenRead_ThenItIsTheProgramme(string code, ReferralProgramme programme)
    {
        var example = ContractExamples.Load(ContractExamples.ReferralDiabetes);
        example.Request["category"]![0]!["coding"]![0]!["code"] = code;

        Assert.Equal(programme, ReadOk(example.Json).Programme);
    }

    [Theory]
    [InlineData("revise-referral", "active", RehabilitationRequestAction.Revise)]
    [InlineData("cancel-referral", "entered-in-error", RehabilitationRequestAction.Cancel)]
    public void GivenRevisionOrCancellationOfTheReferral_WhenRead_ThenItNamesTheReferralAndTheMessageItReplaces(
        string activity, string status, RehabilitationRequestAction action)
    {
        var original = ContractExamples.Load(ContractExamples.ReferralDiabetes);
        var example = Successor(original, activity, status);

        var referral = ReadOk(example.Json);

        Assert.Equal(action, referral.Action);
        Assert.Equal(ReadOk(original.Json).ReferralIdentifier, referral.ReferralIdentifier);
        Assert.Equal(HeaderId(original.Bundle), referral.PreviousMessageHeaderId);
    }

    /// <summary>A revision or cancellation of <paramref name="original"/>: new identity, the activity, the status, and a
    /// Provenance naming the referral identifier and the original message.</summary>
    internal static ContractExamples Successor(ContractExamples original, string activity, string status)
    {
        var example = ContractExamples.Load(ContractExamples.ReferralDiabetes);
        var previousHeader = HeaderId(original.Bundle);
        const string newHeader = "0b4c5a57-1a5e-4a1b-9a43-5d0f7b4a1c11";
        var provenance = example.OwnProvenance;
        example.Bundle["id"] = "6a0b8d4e-93c2-4a43-8f0e-2a5c3f6d7e21";
        example.Header["id"] = newHeader;
        Entries(example.Bundle)[0]!["fullUrl"] = $"http://rehab-hub.dk/fhir/MessageHeader/{newHeader}";
        example.Request["status"] = status;
        provenance["target"]![0]!["reference"] = $"MessageHeader/{newHeader}";
        provenance["activity"]!["coding"]![0]!["code"] = activity;
        provenance["entity"] = new JsonArray(
            new JsonObject { ["role"] = "revision", ["what"] = new JsonObject { ["identifier"] = new JsonObject { ["value"] = (string)example.Request["identifier"]![0]!["value"]! } } },
            new JsonObject { ["role"] = "revision", ["what"] = new JsonObject { ["reference"] = $"MessageHeader/{previousHeader}" } });
        return example;
    }

    private static Referral ReadOk(string json)
    {
        var result = Reader.Read(json);
        Assert.True(result.Succeeded, string.Join(Environment.NewLine, result.Errors.Select(e => $"{e.Rule} {e.Code} at {e.Path}")));
        return result.Referral!;
    }
}

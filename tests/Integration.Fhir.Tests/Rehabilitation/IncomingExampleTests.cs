using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Integration.Fhir.Tests.Validation;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Rehabilitation;

/// <summary>The training-plan and referral examples in contracts/examples are what the profiles promise: the hub's strict
/// parser takes them, and the validator (built-in rules alone and with MedCom's packages) finds nothing.</summary>
public sealed class IncomingExampleTests
{
    public static TheoryData<string, string, bool> Examples()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var (files, eventCode) in new[] { (ContractExamples.TrainingPlans, "training-plan-message"), (ContractExamples.Referrals, "referral-message") })
        {
            foreach (var file in files)
            {
                data.Add(file, eventCode, false);
                data.Add(file, eventCode, true);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void GivenIncomingExample_WhenParsedAndValidated_ThenItHasNoIssues(string file, string eventCode, bool withPackages)
    {
        var parsed = ParseOk(ContractExamples.Bytes(file));

        var report = Validators.Get(withPackages).Validate(parsed.FhirJson);

        Assert.Equal(eventCode, parsed.Envelope.MessageType);
        Assert.Single(parsed.Envelope.Receivers);
        Assert.NotNull(parsed.Envelope.CitizenCpr);
        Assert.True(report.Issues.Count == 0, Validators.Describe(report));
    }

    [Theory]
    [InlineData(ContractExamples.TrainingPlanNew)]
    [InlineData(ContractExamples.ReferralDiabetes)]
    public void GivenIncomingExampleAsXml_WhenParsedAndValidated_ThenItIsValidToo(string file)
    {
        // Partners may post XML: ingress converts it to JSON, which must still pass (no element lost in conversion).
        var xml = ToXml(ContractExamples.Load(file).Json);

        var parsed = ParseOk(System.Text.Encoding.UTF8.GetBytes(xml), FhirFormat.Xml);
        var report = Validators.WithPackages.Validate(parsed.FhirJson);

        Assert.True(report.Issues.Count == 0, Validators.Describe(report));
    }

    [Fact]
    public void GivenPackagesFolder_WhenLoaded_ThenTheIncomingTypesGetMedComsEnvelopeProfiles()
    {
        var profiles = Validators.PackagesDescription.Profiles;

        foreach (var type in new[] { "training-plan-message", "referral-message" })
        {
            Assert.Contains(profiles, p => p.MessageType == type && p.Profile.EndsWith("/medcom-messaging-message", StringComparison.Ordinal));
            Assert.Contains(profiles, p => p.MessageType == type && p.Profile.EndsWith("/medcom-messaging-organization", StringComparison.Ordinal));
        }
    }

    private static string ToXml(string json)
    {
        var bundle = FhirJsonDeserializer.DEFAULT.Deserialize<Bundle>(json);
        return FhirXmlSerializer.Default.SerializeToString(bundle);
    }
}

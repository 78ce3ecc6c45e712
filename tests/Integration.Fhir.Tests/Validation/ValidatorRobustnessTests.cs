using System.Text.RegularExpressions;

namespace Integration.Fhir.Tests.Validation;

/// <summary>The validator never throws, is safe to share between threads, and never quotes a CPR number.</summary>
public sealed partial class ValidatorRobustnessTests
{
    public static TheoryData<string> NotMessages() => new(
        "",
        "not json",
        "{}",
        """{"resourceType":"Patient","id":"p"}""",
        """{"resourceType":"Bundle","id":"b","type":"collection"}""",
        """{"resourceType":"Bundle","id":"b","type":"message","entry":[]}""",
        new string('[', 10_000) + new string(']', 10_000));

    [Theory]
    [MemberData(nameof(NotMessages))]
    public void GivenBodyThatIsNoMessage_WhenValidated_ThenErrorsAndNoException(string body)
    {
        foreach (var withPackages in new[] { false, true })
        {
            var report = Validators.Get(withPackages).Validate(body);

            Assert.False(report.IsValid);
            Assert.All(report.Errors, e => Assert.StartsWith("hub-", e.Rule, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void GivenManyMessagesOnManyThreads_WhenValidated_ThenResultsEqualTheSequentialOnes()
    {
        var messages = MedCom.AllExampleFiles()
            .Select(f => FhirServices.Parser.Parse(MedCom.Bytes(f), f.EndsWith(".xml", StringComparison.Ordinal) ? FhirFormat.Xml : FhirFormat.Json))
            .Where(r => r.Succeeded)
            .Select(r => r.Message!.FhirJson)
            .ToList();
        var validator = Validators.WithPackages;
        var expected = messages.Select(m => Validators.Describe(validator.Validate(m))).ToList();

        var actual = new string[messages.Count * 8];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => actual[i] = Validators.Describe(validator.Validate(messages[i % messages.Count])));

        for (var i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % messages.Count], actual[i]);
        }
    }

    [Fact]
    public void GivenInvalidCprAndBrokenMessages_WhenValidated_ThenNoIssueTextQuotesACprNumber()
    {
        var example = Example.Load(Example.HospitalNotification);
        var patient = example.Single("Patient");
        var cpr = Messages.Cpr(example.Bundle);
        patient["identifier"]![0]!["value"] = "3102991234";
        example.Remove("Provenance");
        example.Header["eventCoding"]!["code"] = cpr; // a CPR number in the wrong place

        foreach (var withPackages in new[] { false, true })
        {
            var report = example.Validate(withPackages);

            Assert.NotEmpty(report.Errors);
            Assert.All(report.Issues, i =>
            {
                Assert.DoesNotContain(cpr, i.Text, StringComparison.Ordinal);
                Assert.DoesNotMatch(CprLike(), i.Text);
                Assert.DoesNotMatch(CprLike(), i.Path);
            });
        }
    }

    [Fact]
    public void GivenEveryMedComExample_WhenValidated_ThenNoIssueTextQuotesACprNumber()
    {
        foreach (var file in MedCom.AllExampleFiles())
        {
            var parsed = FhirServices.Parser.Parse(MedCom.Bytes(file), file.EndsWith(".xml", StringComparison.Ordinal) ? FhirFormat.Xml : FhirFormat.Json);
            if (parsed.Message is { } message)
            {
                var report = Validators.WithPackages.Validate(message.FhirJson);
                Assert.All(report.Issues, i => Assert.DoesNotMatch(CprLike(), i.Text));
            }
        }
    }

    [GeneratedRegex(@"\d{6}-?\d{4}")]
    private static partial Regex CprLike();
}

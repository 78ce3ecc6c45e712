using System.Text;
using Integration.Fhir;
using Xunit.Abstractions;

namespace Integration.EndToEnd.Tests.Robustness;

/// <summary>The corpus itself: big enough, named once each, covering issue 3's list, and classified right.</summary>
[Trait("Category", "Unit")]
public sealed class MalformedCorpusTests(ITestOutputHelper output)
{
    private const int MinimumCases = 300;

    [Fact]
    public void GivenMedComExamples_WhenTheCorpusIsGenerated_ThenItHasAtLeast300UniquelyNamedCasesCoveringIssue3sList()
    {
        var cases = MalformedCorpus.Cases;

        Assert.True(cases.Count >= MinimumCases, $"The corpus has {cases.Count} cases; issue 3 asks for at least {MinimumCases}.");
        var duplicates = cases.GroupBy(c => c.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
        Assert.All(cases, c => Assert.Contains(c.Family, MalformedFamilies.All));
        var families = cases.Select(c => c.Family).ToHashSet(StringComparer.Ordinal);
        Assert.All(MalformedFamilies.RequiredByIssue3, f => Assert.Contains(f, families));
        Assert.All(MalformedFamilies.All, f => Assert.Contains(f, families));
        Assert.All(cases, c => Assert.StartsWith(c.Family + "/", c.Name, StringComparison.Ordinal));

        var fatal = cases.Where(c => c.Expected == ExpectedAnswer.FatalErrorAck).ToList();
        Assert.All(fatal, c => Assert.False(string.IsNullOrEmpty(c.MessageHeaderId), c.Name));
        Assert.Equal(fatal.Count, fatal.Select(c => c.MessageHeaderId).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(cases, c => c.Family == MalformedFamilies.Body10Mb && c.Body.Length >= 10 * 1024 * 1024);

        foreach (var family in cases.GroupBy(c => c.Family).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{family.Key,-30} {family.Count(),4} cases ({family.Count(c => c.Expected == ExpectedAnswer.Rejected400)} → 400, {family.Count(c => c.Expected == ExpectedAnswer.FatalErrorAck)} → fatal-error ACK)");
        }

        output.WriteLine($"{"total",-30} {cases.Count,4}");
    }

    /// <summary>Checks the classification with the hub's own parser, so that a failure of the end-to-end test is the
    /// hub's behaviour and not a mislabelled case: 400 cases do not parse as a message Bundle, the others do.</summary>
    [Fact]
    public void GivenTheCorpus_WhenEachBodyIsParsedAsIngressDoes_ThenOnlyTheFatalErrorAckCasesAreMessageBundles()
    {
        var misclassified = new List<string>();
        foreach (var c in MalformedCorpus.Cases)
        {
            var format = Integration.Ingress.FhirIngressEndpoints.DetectFormat(c.ContentType ?? "", c.Body.Span);
            var parses = format is { } f && FhirServices.Parser.Parse(c.Body.Span, f).Succeeded;
            if (parses != (c.Expected == ExpectedAnswer.FatalErrorAck))
            {
                misclassified.Add($"{c.Name}: expected {c.Expected}, the parser {(parses ? "accepts" : "rejects")} it");
            }
        }

        Assert.True(misclassified.Count == 0, string.Join(Environment.NewLine, misclassified));
    }

    [Fact]
    public void GivenTheUnbrokenExamples_WhenParsed_ThenEachIsAMessageBundleSoTheMutationIsWhatBreaksACase()
    {
        foreach (var medComBase in MedComBases.Json)
        {
            var json = Encoding.UTF8.GetBytes(medComBase.Fresh().Json);
            Assert.True(FhirServices.Parser.Parse(json, FhirFormat.Json).Succeeded, medComBase.Name);
            if (medComBase.Kind == MessageKind.HospitalNotification)
            {
                var xml = Encoding.UTF8.GetBytes(MedComBases.ToXml(medComBase.Fresh().Json));
                Assert.True(FhirServices.Parser.Parse(xml, FhirFormat.Xml).Succeeded, medComBase.Name + " as XML");
            }
        }
    }
}

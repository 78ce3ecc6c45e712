using Hl7.Fhir.Model;
using Integration.Fhir.Parsing;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Parsing;

/// <summary>
/// The streaming narrative check gives Firely's answer (<c>XHtml.IsValidNarrativeXhtml</c>: an XDocument validated against
/// the FHIR XHTML schema) for every narrative in MedCom's examples, for those narratives with something FHIR forbids
/// put in, and for the shapes of narrative FHIR allows or forbids.
/// </summary>
public sealed class NarrativeXhtmlTests
{
    private const string Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">";

    public static TheoryData<string> AllExampleMessages() => [.. MedCom.AllExampleFiles().Where(IsMessage)];

    [Theory]
    [MemberData(nameof(AllExampleMessages))]
    public void GivenMedComExample_WhenItsNarrativesAreChecked_ThenTheAnswerIsFirelys(string file)
    {
        foreach (var narrative in Narratives(Parse(file).Bundle!))
        {
            Assert.Equal(Firely(narrative), NarrativeXhtml.IsValid(narrative));
            // The same narrative with what FHIR forbids inside its root: both refuse it.
            var end = narrative.LastIndexOf("</div>", StringComparison.Ordinal);
            foreach (var forbidden in new[] { "<script>alert(1)</script>", "<p onclick=\"x()\">a</p>", "<form><input/></form>", "<iframe src=\"x\"/>" })
            {
                var spoilt = narrative[..end] + forbidden + narrative[end..];
                Assert.False(Firely(spoilt));
                Assert.False(NarrativeXhtml.IsValid(spoilt));
            }
        }
    }

    [Theory]
    [InlineData(Div + "<p>text</p></div>", true)]
    [InlineData(Div + "text &amp; &lt;more&gt;</div>", true)]
    [InlineData(Div + "a&nbsp;b</div>", true)] // an HTML entity, as Firely replaces it
    [InlineData(Div + "<img src=\"#a\" alt=\"a\"/></div>", true)] // an image is content
    [InlineData(Div + "<table><tbody><tr><td>a</td></tr></tbody></table></div>", true)]
    [InlineData(Div + "<p style=\"color: red\" lang=\"da\" xml:lang=\"da\">a</p></div>", true)]
    [InlineData(Div + "<a href=\"http://example.org\">link</a><a name=\"n\">anchor</a></div>", true)]
    [InlineData(Div + "<![CDATA[text]]></div>", true)]
    [InlineData(Div + "<!-- a comment --><p>text</p></div>", true)]
    [InlineData(Div + "<p>  </p>\n</div>", false)] // no content
    [InlineData(Div + "</div>", false)]
    [InlineData("<p xmlns=\"http://www.w3.org/1999/xhtml\">text</p>", false)] // not a div
    [InlineData("<div>text</div>", false)] // not XHTML's div
    [InlineData("<div xmlns=\"urn:other\">text</div>", false)]
    [InlineData(Div + "<script>x</script>text</div>", false)]
    [InlineData(Div + "<p onload=\"x()\">text</p></div>", false)]
    [InlineData(Div + "<p><div>text</div></p></div>", false)] // a block inside a paragraph
    [InlineData(Div + "<object data=\"x\">text</object></div>", false)]
    [InlineData(Div + "<p unknown=\"1\">text</p></div>", false)]
    [InlineData(Div + "<p>a &unknownentity; b</p></div>", false)] // not well-formed
    [InlineData(Div + "<p>text</div>", false)]
    [InlineData(Div + "<x:foo xmlns:x=\"urn:other\">text</x:foo></div>", false)]
    [InlineData(Div + "<p id=\"a\">x</p><p id=\"a\">y</p></div>", false)] // an id used twice
    public void GivenNarrative_WhenChecked_ThenTheAnswerIsFirelysAndTheExpectedOne(string xhtml, bool valid)
    {
        Assert.Equal(valid, Firely(xhtml));
        Assert.Equal(valid, NarrativeXhtml.IsValid(xhtml));
    }

    private static bool Firely(string xhtml) => XHtml.IsValidNarrativeXhtml(xhtml, out _, out _);
}

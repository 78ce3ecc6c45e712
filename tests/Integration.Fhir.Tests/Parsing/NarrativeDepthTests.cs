using System.Xml;
using Hl7.Fhir.Model;
using Integration.Fhir.Parsing;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Parsing;

/// <summary>
/// The narrative check reads a narrative's depth from its tags instead of an XmlReader: the same depth the reader sees,
/// for MedCom's own narratives and for the shapes that matter, and no answer (the reader decides) where tags alone
/// cannot tell.
/// </summary>
public sealed class NarrativeDepthTests
{
    public static TheoryData<string> AllExampleMessages() => [.. MedCom.AllExampleFiles().Where(IsMessage)];

    [Theory]
    [MemberData(nameof(AllExampleMessages))]
    public void GivenMedComExample_WhenItsNarrativesAreMeasuredByTheirTags_ThenEachDepthIsTheReadersDepth(string file)
    {
        foreach (var narrative in Narratives(Parse(file).Bundle!))
        {
            Assert.Equal(ReaderDepth(narrative), NarrativeCheck.DepthFromTags(narrative));
        }
    }

    [Fact]
    public void GivenMedComExamples_WhenSearchedForNarratives_ThenThereAreManyToCompare()
    {
        var count = MedCom.AllExampleFiles().Where(IsMessage).Sum(file => Narratives(Parse(file).Bundle!).Count());

        Assert.True(count >= 20, $"only {count} narratives in MedCom's examples");
    }

    [Theory]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>text</p></div>")]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\"><br/></div>")]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\">\n  <table><tr><td>a</td></tr></table>\n</div>")]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\" title=\"a > b\"><p title='/'/></div>")]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p><b><i/></b></p></div>")]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\"/>")]
    public void GivenWellFormedNarrative_WhenMeasuredByItsTags_ThenTheDepthIsTheReadersDepth(string xhtml)
    {
        Assert.Equal(ReaderDepth(xhtml), NarrativeCheck.DepthFromTags(xhtml));
    }

    [Theory]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\"><!-- </div></div> --></div>")]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\"><![CDATA[</div>]]></div>")]
    [InlineData("<?xml version=\"1.0\"?><div xmlns=\"http://www.w3.org/1999/xhtml\"/>")]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\"><p></div>")]
    [InlineData("</div><div>")]
    [InlineData("<div xmlns=\"http://www.w3.org/1999/xhtml\"")]
    [InlineData("<div title=\"<\"></div>")]
    public void GivenNarrativeTheTagsCannotMeasure_WhenMeasured_ThenThereIsNoAnswerAndTheReaderDecides(string xhtml)
    {
        Assert.Null(NarrativeCheck.DepthFromTags(xhtml));
    }

    private static int ReaderDepth(string xhtml)
    {
        using var reader = XmlReader.Create(new StringReader(xhtml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        var deepest = 0;
        while (reader.Read())
        {
            deepest = Math.Max(deepest, reader.Depth);
        }

        return deepest;
    }
}

using System.Text;
using Hl7.Fhir.Model;
using Integration.Fhir.Parsing;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Parsing;

/// <summary>
/// The C# check (<see cref="NativeNarrativeXhtml"/>) proves a narrative valid only where the FHIR XHTML schema and Firely
/// (<c>XHtml.IsValidNarrativeXhtml</c>) find it valid: on MedCom's narratives, on those narratives with fragments put in
/// at each kind of place (valid and invalid ones: the schema's content models, typed attributes, well-formedness), and on
/// random documents built from XHTML's elements and attributes. It must also prove every narrative of MedCom's examples,
/// or it would not take the work off the schema.
/// </summary>
public sealed class NativeNarrativeXhtmlTests
{
    private const string Div = "<div xmlns=\"http://www.w3.org/1999/xhtml\">";

    public static TheoryData<string> AllExampleMessages() => [.. MedCom.AllExampleFiles().Where(IsMessage)];

    [Theory]
    [MemberData(nameof(AllExampleMessages))]
    public void GivenMedComExample_WhenItsNarrativesAreChecked_ThenCSharpProvesEachValid(string file)
    {
        var narratives = Narratives(Parse(file).Bundle!).ToList();
        Assert.NotEmpty(narratives);
        foreach (var narrative in narratives)
        {
            Assert.True(Firely(narrative));
            Assert.True(NativeNarrativeXhtml.ProvesValid(narrative), $"{file}: a MedCom narrative is not proven in C#");
        }
    }

    /// <summary>Where a fragment goes: a place of each content model MedCom's narratives have.</summary>
    private static readonly (string Name, Func<string, string, string?> Put)[] Places =
    [
        ("end of the root div (flow)", (n, f) => InsertBefore(n, n.LastIndexOf("</div>", StringComparison.Ordinal), f)),
        ("start of the root div (flow)", (n, f) => InsertBefore(n, n.IndexOf('>') + 1, f)),
        ("in a paragraph (inline)", (n, f) => AfterTag(n, "<p>", f)),
        ("in bold text (inline)", (n, f) => AfterTag(n, "<b>", f)),
        ("in a link (a's content)", (n, f) => AfterTag(n, "<a href=", f)),
        ("in a table (rows)", (n, f) => AfterTag(n, "<table", f)),
        ("in a row (cells)", (n, f) => AfterTag(n, "<tr>", f)),
        ("in a cell (flow)", (n, f) => AfterTag(n, "<td>", f)),
        ("after the root", (n, f) => n + f),
        ("before the root", (n, f) => f + n),
    ];

    /// <summary>Fragments, valid and invalid, for the places above.</summary>
    private static readonly string[] Fragments =
    [
        "<p>x</p>", "<p/>", "<p style=\"margin: 0\" class=\"a b\" title=\"t\" dir=\"rtl\">x</p>", "text", " ", "\n",
        "<ul><li>a</li><li><p>b</p></li></ul>", "<ol><li>a</li></ol>", "<ul></ul>", "<ul>t<li>a</li></ul>", "<ul><p>a</p></ul>",
        "<table><tr><td>a</td></tr></table>", "<table class=\"grid\" border=\"1\" summary=\"s\"><tbody><tr><th>h</th></tr></tbody></table>",
        "<table><thead><tr><th>h</th></tr></thead><tfoot><tr><td>f</td></tr></tfoot><tbody><tr><td>a</td></tr></tbody><tbody><tr><td>b</td></tr></tbody></table>",
        "<table></table>", "<table>x<tr><td>a</td></tr></table>", "<table><tbody><tr><td>a</td></tr></tbody><tr><td>b</td></tr></table>",
        "<table><tfoot><tr><td>f</td></tr></tfoot><thead><tr><td>h</td></tr></thead><tr><td>a</td></tr></table>",
        "<table><thead><tr><td>h</td></tr></thead></table>", "<table><tr></tr></table>", "<table><caption>c</caption><tr><td>a</td></tr></table>",
        "<tr><td>a</td></tr>", "<td>a</td>", "<th>a</th>", "<tbody><tr><td>a</td></tr></tbody>", "<li>a</li>",
        "<br/>", "<br></br>", "<br>x</br>", "<br> </br>", "<hr/>", "<hr dir=\"ltr\"/>", "<br dir=\"ltr\"/>", "<br class=\"c\" id=\"br1\"/>",
        "<blockquote><p>q</p></blockquote>", "<blockquote>q</blockquote>", "<blockquote/>", "<blockquote cite=\"http://x\"><p>q</p></blockquote>",
        "<a href=\"#x\">l</a>", "<a name=\"n:1._-\">l</a>", "<a href=\"#x\"><a name=\"y\">n</a></a>", "<a><span><a>deep</a></span></a>",
        "<p><p>x</p></p>", "<span><div>x</div></span>", "<b><table><tr><td>a</td></tr></table></b>", "<span><br/><i>i</i><code>c</code><sub>1</sub></span>",
        "<h1>a</h1><h6>b</h6><address>c</address>", "<em><strong><dfn><samp><kbd><var><cite><abbr><acronym><sup><tt><big><small>x</small></big></tt></sup></acronym></abbr></cite></var></kbd></samp></dfn></strong></em>",
        "<p id=\"a1\">x</p>", "<p id=\"_a\">x</p>", "<p id=\"1a\">x</p>", "<p id=\"a b\">x</p>", "<p id=\" a\">x</p>", "<p id=\"\">x</p>",
        "<p id=\"dup\">a</p><p id=\"dup\">b</p>", "<p class=\"\">x</p>", "<p class=\"a  b\">x</p>", "<p class=\" a\">x</p>", "<p class=\"a\tb\">x</p>",
        "<a name=\"a b\">x</a>", "<a name=\"\">x</a>", "<a href=\"\">x</a>", "<a href=\"http://[::1\">x</a>", "<a href=\"a##b\">x</a>",
        "<a href=\"http://a:99999999/\">x</a>", "<a href=\"http://example.org/a?b=c#d\">x</a>", "<a href=\"Patient-1.html\">x</a>",
        "<a href=\" #x\">x</a>", "<a href=\"a&amp;b\">x</a>", "<a href=\"http://a b\">x</a>",
        "<td colspan=\"2\">a</td>", "<p colspan=\"2\">x</p>", "<table border=\"-1\"><tr><td>a</td></tr></table>",
        "<table><tr><td colspan=\"2\" rowspan=\"0\" abbr=\"x\">a</td><td colspan=\"x\">b</td></tr></table>",
        "<p dir=\"up\">x</p>", "<p lang=\"da\">x</p>", "<p xml:lang=\"da\">x</p>", "<p onclick=\"x()\">x</p>", "<p name=\"n\">x</p>",
        "<script>x</script>", "<img src=\"a\" alt=\"b\"/>", "<iframe src=\"x\"/>", "<form><input/></form>",
        "<P>x</P>", "<p>x</P>", "<p>x", "x</p>", "</p>",
        "<p>a]]>b</p>", "<p>a]]b</p>", "<p>\u0001</p>", "<p>\uFFFE</p>", "<p>\uD83D\uDE00</p>", "<p>æøå ÆØÅ</p>",
        "<p>&nbsp;</p>", "<p>&#0;</p>", "<p>&#xD800;</p>", "<p>&#160;</p>", "<p>&#xE6;&#229;</p>", "<p>&lt;&amp;&gt;&quot;&apos;</p>",
        "<p>&bogus;</p>", "<p>a & b</p>", "<p>&#x;</p>", "<p>&#;</p>", "<p>&amp</p>",
        "<p title=\"a<b\">x</p>", "<p title=\"a&amp;b &#10;\">x</p>", "<p title='x\"y'>z</p>", "<p title=\"a\"title=\"b\">x</p>",
        "<p title=\"a\" title=\"b\">x</p>", "<p style=x>y</p>", "<p style = \"a\" >y</p>", "<p\u00A0>x</p>", "<p/ >",
        "<!-- c -->", "<![CDATA[x]]>", "<?pi x?>", "<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>",
        "<x:p xmlns:x=\"urn:x\">x</x:p>", "<p xmlns=\"urn:x\">x</p>", "<dl><dt>a</dt><dd>b</dd></dl>", "<pre>x</pre>", "<q>x</q>",
    ];

    public static TheoryData<string> VariantSources() =>
    [
        MedCom.HospitalNotification("Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json"),
        .. MedCom.AllExampleFiles().Where(f => f.Contains("carecommunication", StringComparison.Ordinal)).Where(IsMessage).Take(1),
        .. MedCom.AllExampleFiles().Where(f => f.StartsWith(MedCom.Acknowledgements, StringComparison.Ordinal)).Where(IsMessage).Take(1),
    ];

    [Theory]
    [MemberData(nameof(VariantSources))]
    public void GivenMedComNarrativeWithAFragmentPutIn_WhenCSharpProvesItValid_ThenTheSchemaAndFirelyAgree(string file)
    {
        int proven = 0, notProven = 0, invalid = 0;
        var unsound = new List<string>();
        foreach (var narrative in Narratives(Parse(file).Bundle!))
        {
            foreach (var (place, put) in Places)
            {
                foreach (var fragment in Fragments)
                {
                    if (put(narrative, fragment) is not { } variant)
                    {
                        continue;
                    }

                    var schema = NarrativeXhtml.IsValidBySchema(variant);
                    invalid += schema ? 0 : 1;
                    if (!NativeNarrativeXhtml.ProvesValid(variant))
                    {
                        notProven++;
                        continue;
                    }

                    proven++;
                    if (!schema || !Firely(variant))
                    {
                        unsound.Add($"{place}: {fragment}");
                    }
                }
            }
        }

        Assert.Empty(unsound.Distinct());
        // Not vacuous: C# proves many variants, and many are invalid (which it must never prove).
        Assert.True(proven > 300, $"{proven} proven");
        Assert.True(invalid > 300, $"{invalid} invalid, {notProven} not proven");
    }

    [Theory]
    [InlineData(Div + "<p>text</p></div>", true)]
    [InlineData(Div + "text &amp; &lt;more&gt; &#229;</div>", true)]
    [InlineData("<div xmlns='http://www.w3.org/1999/xhtml'>x</div>\n", true)]
    [InlineData(Div + "<table class=\"grid\"><tr><td style=\"display: none\">-</td><td/></tr></table>x</div>", true)]
    [InlineData(Div + "<p>  </p>\n</div>", false)] // no content: invalid
    [InlineData(Div + "&#160;</div>", false)] // a no-break space is no content either
    [InlineData(Div + "a&nbsp;b</div>", false)] // valid (Firely replaces HTML entities), but only the schema path knows them
    [InlineData(Div + "<img src=\"#a\" alt=\"a\"/></div>", false)] // valid, not in the C# subset
    [InlineData(Div + "<p lang=\"da\">a</p></div>", false)] // valid, not in the C# subset
    [InlineData(Div + "<!-- c --><p>text</p></div>", false)] // valid, not in the C# subset
    [InlineData("<p xmlns=\"http://www.w3.org/1999/xhtml\">text</p>", false)]
    [InlineData("<div>text</div>", false)]
    [InlineData(Div + "<script>x</script>text</div>", false)]
    [InlineData(Div + "<p><div>text</div></p></div>", false)]
    [InlineData(Div + "<p id=\"a\">x</p><p id=\"a\">y</p></div>", false)]
    [InlineData(Div + "<p>text</div>", false)]
    public void GivenNarrative_WhenChecked_ThenCSharpProvesOnlyWhatIsValid(string xhtml, bool proven)
    {
        Assert.Equal(proven, NativeNarrativeXhtml.ProvesValid(xhtml));
        if (proven)
        {
            Assert.True(Firely(xhtml));
        }
    }

    [Fact]
    public void GivenRandomXhtml_WhenCSharpProvesItValid_ThenTheSchemaAndFirelyAgree()
    {
        var random = new Random(20261203); // fixed: a failure can be replayed
        int proven = 0, invalid = 0;
        var unsound = new List<string>();
        for (var i = 0; i < 4000; i++)
        {
            var document = new StringBuilder(Div);
            RandomContent(random, document, "flow", depth: 0);
            document.Append(random.Next(6) == 0 ? "" : "x").Append("</div>"); // some without content, which FHIR requires
            var xhtml = document.ToString();
            var schema = NarrativeXhtml.IsValidBySchema(xhtml);
            invalid += schema ? 0 : 1;
            if (NativeNarrativeXhtml.ProvesValid(xhtml))
            {
                proven++;
                if (!schema || !Firely(xhtml))
                {
                    unsound.Add(xhtml);
                }
            }
        }

        Assert.True(unsound.Count == 0, $"{unsound.Count} proven but invalid, e.g. {unsound.FirstOrDefault()}");
        Assert.True(proven > 1000, $"{proven} proven");
        Assert.True(invalid > 1000, $"{invalid} invalid");
    }

    // Mostly what the parent allows (so that documents are often valid but for one thing), sometimes any element of
    // XHTML, in and beyond the C# subset; attributes with good and bad values.
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["flow"] = ["p", "div", "span", "b", "a", "br", "hr", "ul", "table", "blockquote", "h2", "code", "#text"],
        ["inline"] = ["span", "b", "i", "a", "br", "code", "em", "sub", "#text"],
        ["ul"] = ["li"], ["table"] = ["tr", "tbody", "thead"], ["tbody"] = ["tr"], ["thead"] = ["tr"], ["tr"] = ["td", "th"],
        ["blockquote"] = ["p", "div"], ["empty"] = [],
    };

    private static readonly string[] AnyElement =
    [
        "div", "p", "span", "b", "i", "a", "br", "hr", "ul", "ol", "li", "table", "thead", "tfoot", "tbody", "tr", "td", "th",
        "blockquote", "h2", "code", "em", "strong", "sub", "address", "img", "dl", "dd", "pre", "q", "caption", "script", "#text",
    ];

    private static string Model(string element) => element switch
    {
        "div" or "li" or "td" or "th" => "flow",
        "ul" or "ol" => "ul",
        "table" or "tbody" or "thead" or "tr" or "blockquote" => element,
        "tfoot" => "tbody",
        "br" or "hr" or "img" => "empty",
        _ => "inline",
    };

    private static readonly string[] CommonAttributes = [" class=\"c d\"", " style=\"x: y\"", " title=\"t&amp;\"", " id=\"i\"", " id=\"j\"", " dir=\"ltr\""];

    private static string[] OwnAttributes(string element) => element switch
    {
        "a" => [" href=\"#h\"", " href=\"http://example.org/a?b#c\"", " name=\"n\""],
        "td" or "th" => [" colspan=\"2\"", " rowspan=\"1\"", " abbr=\"a\""],
        "table" => [" border=\"0\"", " summary=\"s\""],
        _ => [],
    };

    // Wrong on any element, or on most.
    private static readonly string[] BadAttributes =
    [
        " class=\"\"", " id=\"9\"", " href=\"http://[x\"", " lang=\"da\"", " onclick=\"f()\"", " colspan=\"2\"", " name=\"n\"",
        " border=\"x\"", " dir=\"up\"",
    ];

    private static readonly string[] Texts = ["x", "x", "x", "a &amp; b", "&#229;", " ", "\n", "&#160;", "x ]]> y"];

    private static void RandomContent(Random random, StringBuilder into, string model, int depth)
    {
        var choices = random.Next(40) == 0 ? AnyElement : Allowed[model];
        var atLeastOne = model is "ul" or "table" or "tbody" or "thead" or "tr" ? 1 : 0;
        var children = choices.Length == 0 ? 0 : random.Next(atLeastOne, depth > 2 ? 2 : 3);
        for (var c = 0; c < children; c++)
        {
            var element = choices[random.Next(choices.Length)];
            if (element == "#text")
            {
                into.Append(Texts[random.Next(Texts.Length)]);
                continue;
            }

            into.Append('<').Append(element);
            if (random.Next(3) == 0)
            {
                var own = OwnAttributes(element);
                var pick = random.Next(10);
                into.Append(pick == 0 ? BadAttributes[random.Next(BadAttributes.Length)]
                    : pick < 5 && own.Length > 0 ? own[random.Next(own.Length)]
                    : element is "br" && pick == 9 ? " dir=\"ltr\"" // br takes no dir
                    : CommonAttributes[random.Next(CommonAttributes.Length)]);
            }

            var nextModel = Model(element);
            if (random.Next(6) == 0 || (nextModel == "empty" && random.Next(5) != 0))
            {
                into.Append("/>");
                continue;
            }

            into.Append('>');
            RandomContent(random, into, nextModel, depth + 1);
            into.Append("</").Append(element).Append('>');
        }
    }

    private static string? AfterTag(string narrative, string tagStart, string fragment)
    {
        var at = narrative.IndexOf(tagStart, StringComparison.Ordinal);
        return at < 0 ? null : InsertBefore(narrative, narrative.IndexOf('>', at) + 1, fragment);
    }

    private static string InsertBefore(string narrative, int at, string fragment) => narrative[..at] + fragment + narrative[at..];

    private static bool Firely(string xhtml) => XHtml.IsValidNarrativeXhtml(xhtml, out _, out _);
}

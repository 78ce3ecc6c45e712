using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Integration.Fhir;
using F = Integration.EndToEnd.Tests.Robustness.MalformedFamilies;

namespace Integration.EndToEnd.Tests.Robustness;

/// <summary>Bodies built to hurt a parser: size, depth, XML entities, broken UTF-8.</summary>
public static class HostileBodies
{
    /// <summary>10 MB: half the ingress limit (FhirIngressEndpoints.MaxBodyBytes), so the parser really has to read it.</summary>
    private const int TenMegabytes = 10 * 1024 * 1024;
    private const int Deep = 10_000;
    private const string Marker = "@@MALFORMED@@";
    private const string XhtmlDiv = "<div xmlns=\"http://www.w3.org/1999/xhtml\">";

    private static readonly (string Name, byte[] Bytes)[] InvalidUtf8 =
    [
        ("byte-ff", [0xFF]),
        ("overlong-slash", [0xC0, 0xAF]),
        ("utf16-surrogate", [0xED, 0xA0, 0x80]),
        ("lone-continuation-byte", [0x80]),
        ("truncated-sequence", [0xE2, 0x82]),
        ("five-byte-form", [0xF8, 0x88, 0x80, 0x80, 0x80]),
        ("beyond-u10ffff", [0xF4, 0x90, 0x80, 0x80]),
        ("latin1-a-ring", [0xE5]),
    ];

    private static readonly (string Name, Func<string, string> Apply)[] XmlAttacks =
    [
        ("doctype-only", xml => WithDoctype(xml, "<!DOCTYPE Bundle>", null)),
        ("internal-entity", xml => WithDoctype(xml, "<!DOCTYPE Bundle [<!ENTITY greeting \"hello\">]>", "&greeting;")),
        ("external-entity-file", xml => WithDoctype(xml, "<!DOCTYPE Bundle [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>", "&xxe;")),
        ("external-entity-http", xml => WithDoctype(xml, "<!DOCTYPE Bundle [<!ENTITY xxe SYSTEM \"http://127.0.0.1:9/xxe\">]>", "&xxe;")),
        ("parameter-entity", xml => WithDoctype(xml, "<!DOCTYPE Bundle [<!ENTITY % remote SYSTEM \"http://127.0.0.1:9/evil.dtd\"> %remote;]>", null)),
        ("external-dtd", xml => WithDoctype(xml, "<!DOCTYPE Bundle SYSTEM \"file:///etc/passwd\">", null)),
        ("billion-laughs", xml => WithDoctype(xml, BillionLaughs(), "&lol9;")),
        ("quadratic-blowup", xml => WithDoctype(xml, $"<!DOCTYPE Bundle [<!ENTITY big \"{new string('x', 50_000)}\">]>", string.Concat(Enumerable.Repeat("&big;", 2_000)))),
        ("xinclude", xml => AfterRootStart(xml, "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\" parse=\"text\"/>")),
    ];

    public static void AddTo(CorpusBuilder corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        TenMegabyteBodies(corpus);
        DeeplyNested(corpus);
        XmlDoctypeAndEntities(corpus);
        InvalidUtf8Bodies(corpus);
    }

    private static MedComBase HospitalNotification(int index) =>
        MedComBases.OfKind(MessageKind.HospitalNotification).ElementAt(index);

    private static void TenMegabyteBodies(CorpusBuilder corpus)
    {
        var hn = HospitalNotification(0);
        var bundle = MedComBases.FreshNode(hn, out _);
        bundle["hugeUnknownElement"] = new string('x', TenMegabytes);
        corpus.Reject(F.Body10Mb, "huge-string-in-unknown-element", hn.Name, FhirJson.Bytes(bundle));

        var numbers = new StringBuilder(TenMegabytes + 2).Append('[');
        numbers.Insert(1, "1,", TenMegabytes / 2).Append("1]");
        corpus.Reject(F.Body10Mb, "huge-array-of-numbers", "no-example", numbers.ToString());

        hn = HospitalNotification(1);
        var message = hn.Fresh().Json;
        corpus.Reject(F.Body10Mb, "whitespace-then-truncated-message", hn.Name, new string(' ', TenMegabytes) + message[..(message.Length / 2)]);

        hn = HospitalNotification(2);
        bundle = MedComBases.FreshNode(hn, out _);
        FhirJson.Resources(bundle, "Patient").First()["text"]!["div"] = XhtmlDiv + new string('x', TenMegabytes) + "</div>";
        var text = FhirJson.Text(bundle);
        corpus.Reject(F.Body10Mb, "huge-narrative-truncated", hn.Name, text[..^1]);

        hn = HospitalNotification(3);
        bundle = MedComBases.FreshNode(hn, out var variant);
        foreach (var coding in FhirJson.ProvenancesOfThisMessage(bundle).SelectMany(p => p["activity"]!["coding"]!.AsArray()))
        {
            coding!["code"] = new string('x', TenMegabytes);
        }

        corpus.FatalErrorAck(F.Body10Mb, "huge-unknown-activity-code", hn.Name, FhirJson.Text(bundle), variant.MessageHeaderId,
            MedComIssueCodes.CodeSystemValueUnknown, MedComIssueCodes.ValueSetValueUnknown, MedComIssueCodes.ElementTooLong);

        hn = HospitalNotification(4);
        var xml = MedComBases.ToXml(hn.Fresh().Json);
        corpus.Reject(F.Body10Mb, "huge-unknown-xml-element", hn.Name, AfterRootStart(xml, $"<hugeUnknown value=\"{new string('x', TenMegabytes)}\"/>"), MalformedCorpus.Xml);
    }

    private static void DeeplyNested(CorpusBuilder corpus)
    {
        const string none = "no-example";
        corpus.Reject(F.DeeplyNested, "json-arrays-10000", none, new string('[', Deep) + new string(']', Deep));
        corpus.Reject(F.DeeplyNested, "json-objects-10000", none, string.Concat(Enumerable.Repeat("{\"a\":", Deep)) + "1" + new string('}', Deep));
        corpus.Reject(F.DeeplyNested, "json-unclosed-arrays-10000", none, new string('[', Deep));

        var hn = HospitalNotification(5);
        corpus.Reject(F.DeeplyNested, "patient-extensions-10000", hn.Name, WithPatientExtensions(hn, Deep));
        hn = HospitalNotification(6);
        corpus.Reject(F.DeeplyNested, "patient-extensions-just-over-the-limit", hn.Name, WithPatientExtensions(hn, FhirParserLimits.Default.MaxDepth / 2 + 2));

        hn = HospitalNotification(7);
        var bundle = MedComBases.FreshNode(hn, out _);
        FhirJson.Header(bundle)["extension"] = Marker;
        corpus.Reject(F.DeeplyNested, "messageheader-arrays-10000", hn.Name,
            FhirJson.Text(bundle).Replace($"\"{Marker}\"", new string('[', Deep) + new string(']', Deep), StringComparison.Ordinal));

        hn = HospitalNotification(8);
        bundle = MedComBases.FreshNode(hn, out _);
        FhirJson.Resources(bundle, "Patient").First()["text"]!["div"] =
            XhtmlDiv + string.Concat(Enumerable.Repeat("<div>", Deep)) + "deep" + string.Concat(Enumerable.Repeat("</div>", Deep)) + "</div>";
        corpus.Reject(F.DeeplyNested, "narrative-divs-10000", hn.Name, FhirJson.Bytes(bundle));

        hn = HospitalNotification(9);
        var xml = MedComBases.ToXml(hn.Fresh().Json);
        corpus.Reject(F.DeeplyNested, "xml-elements-10000", hn.Name,
            AfterRootStart(xml, string.Concat(Enumerable.Repeat("<a>", Deep)) + string.Concat(Enumerable.Repeat("</a>", Deep))), MalformedCorpus.Xml);
    }

    /// <summary>Patient.extension nested <paramref name="depth"/> times (two JSON levels each), in FHIR's own shape.</summary>
    private static string WithPatientExtensions(MedComBase hn, int depth)
    {
        var bundle = MedComBases.FreshNode(hn, out _);
        FhirJson.Resources(bundle, "Patient").First()["extension"] = Marker;
        const string open = "{\"url\":\"http://example.org/deep\",\"extension\":[";
        var nested = new StringBuilder("[");
        for (var level = 1; level < depth; level++)
        {
            nested.Append(open);
        }

        nested.Append("{\"url\":\"http://example.org/deep\",\"valueString\":\"deep\"}");
        for (var level = 1; level < depth; level++)
        {
            nested.Append("]}");
        }

        nested.Append(']');
        return FhirJson.Text(bundle).Replace($"\"{Marker}\"", nested.ToString(), StringComparison.Ordinal);
    }

    private static void XmlDoctypeAndEntities(CorpusBuilder corpus)
    {
        var bases = MedComBases.OfKind(MessageKind.HospitalNotification)
            .Select(b => (b.Name, Xml: MedComBases.ToXml(b.Fresh().Json)))
            .Concat(MedComBases.AcknowledgementXml)
            .ToList();
        foreach (var ((name, xml), i) in bases.Select((b, i) => (b, i)))
        {
            for (var k = 0; k < 2; k++)
            {
                var (attack, apply) = XmlAttacks[(i * 2 + k) % XmlAttacks.Length];
                corpus.Reject(F.XmlDoctypeEntities, attack, name, apply(xml), MalformedCorpus.Xml);
            }
        }
    }

    private static void InvalidUtf8Bodies(CorpusBuilder corpus)
    {
        // In a free-text element (an organisation's name) where the text itself is allowed anything: only the bytes are wrong.
        foreach (var (medComBase, i) in MedComBases.Json.Select((b, i) => (b, i)))
        {
            for (var k = 0; k < 2; k++)
            {
                var (name, bytes) = InvalidUtf8[(i * 2 + k) % InvalidUtf8.Length];
                var bundle = MedComBases.FreshNode(medComBase, out _);
                var organization = FhirJson.Resources(bundle, "Organization").First(o => o["name"] is not null);
                organization["name"] = organization["name"]!.GetValue<string>() + Marker;
                corpus.Reject(F.InvalidUtf8, name, medComBase.Name, ReplaceMarker(FhirJson.Bytes(bundle), bytes));
            }
        }

        foreach (var (medComBase, i) in MedComBases.OfKind(MessageKind.HospitalNotification).Select((b, i) => (b, i)))
        {
            var (name, bytes) = InvalidUtf8[i % InvalidUtf8.Length];
            var xml = MedComBases.ToXml(medComBase.Fresh().Json);
            var at = xml.IndexOf("<name value=\"", StringComparison.Ordinal);
            xml = xml.Insert(at + "<name value=\"".Length, Marker);
            corpus.Reject(F.InvalidUtf8, "xml-" + name, medComBase.Name, ReplaceMarker(Encoding.UTF8.GetBytes(xml), bytes), MalformedCorpus.Xml);
        }
    }

    private static byte[] ReplaceMarker(byte[] body, byte[] replacement)
    {
        var marker = Encoding.ASCII.GetBytes(Marker);
        var at = body.AsSpan().IndexOf(marker);
        if (at < 0)
        {
            throw new InvalidOperationException("The marker is not in the body.");
        }

        return [.. body.AsSpan(0, at), .. replacement, .. body.AsSpan(at + marker.Length)];
    }

    /// <summary>The DOCTYPE goes before the root element; the entity reference, if any, into the first narrative.</summary>
    private static string WithDoctype(string xml, string doctype, string? reference)
    {
        var withReference = reference is null ? xml : IntoFirstNarrative(xml, reference);
        var root = withReference.IndexOf("<Bundle", StringComparison.Ordinal);
        return withReference.Insert(root, doctype + "\n");
    }

    private static string IntoFirstNarrative(string xml, string text)
    {
        var at = xml.IndexOf(XhtmlDiv, StringComparison.Ordinal);
        return at < 0 ? AfterRootStart(xml, text) : xml.Insert(at + XhtmlDiv.Length, text);
    }

    private static string AfterRootStart(string xml, string content)
    {
        var root = xml.IndexOf("<Bundle", StringComparison.Ordinal);
        var end = xml.IndexOf('>', root);
        return xml.Insert(end + 1, content);
    }

    private static string BillionLaughs()
    {
        var doctype = new StringBuilder("<!DOCTYPE Bundle [<!ENTITY lol0 \"lol\">");
        for (var i = 1; i <= 9; i++)
        {
            var previous = string.Create(CultureInfo.InvariantCulture, $"&lol{i - 1};");
            doctype.Append(CultureInfo.InvariantCulture, $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat(previous, 10))}\">");
        }

        return doctype.Append("]>").ToString();
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Integration.Testing;
using F = Integration.EndToEnd.Tests.Robustness.MalformedFamilies;

namespace Integration.EndToEnd.Tests.Robustness;

/// <summary>Bodies that are not a parseable message Bundle: every one must be answered 400 and kept.</summary>
public static class StructuralMutations
{
    private static readonly (string Name, double Fraction)[] TruncationPoints =
        [("first-byte", 0), ("quarter", 0.25), ("half", 0.5), ("three-quarters", 0.75), ("last-byte-missing", 1)];

    private static readonly (string Name, Action<JsonObject> Apply)[] WrongTypes =
    [
        ("messageheader-is-a-string", b => FhirJson.Entries(b)[0]!["resource"] = "MessageHeader"),
        ("sender-is-a-string", b => FhirJson.Header(b)["sender"] = "Organization/sender"),
        ("bundle-id-is-a-number", b => b["id"] = 42),
        ("timestamp-is-a-number", b => b["timestamp"] = 20221207),
        ("eventcoding-is-an-array", b => WrapInArray(FhirJson.Header(b), "eventCoding")),
        ("source-is-an-array", b => WrapInArray(FhirJson.Header(b), "source")),
        ("entry-is-an-object", b => b["entry"] = FhirJson.Entries(b)[0]!.DeepClone()),
        ("type-is-a-boolean", b => b["type"] = true),
        ("messageheader-id-is-an-object", b => FhirJson.Header(b)["id"] = new JsonObject { ["value"] = FhirJson.Header(b)["id"]!.DeepClone() }),
        ("second-resource-is-a-number", b => FhirJson.Entries(b)[1]!["resource"] = 7),
        ("resourcetype-is-a-number", b => b["resourceType"] = 1),
        ("destination-is-a-string", b => FhirJson.Header(b)["destination"] = "nowhere"),
    ];

    private static readonly (string Name, Action<JsonArray> Apply)[] MissingHeader =
    [
        ("removed", entries => entries.RemoveAt(0)),
        ("entry-without-resource", entries => entries[0]!.AsObject().Remove("resource")),
    ];

    private static readonly (string Name, Action<JsonArray> Apply)[] EntryOrders =
    [
        ("messageheader-last", entries => MoveFirst(entries, entries.Count - 1)),
        ("messageheader-second", entries => MoveFirst(entries, 1)),
    ];

    /// <summary>Every Bundle.type but message, a wrong-case "Message", and none at all.</summary>
    private static readonly string?[] BundleTypes =
        ["collection", "document", "transaction", "batch", "history", "searchset", "transaction-response", "batch-response", "Message", null];

    private static readonly (string Name, Func<string, string> Apply)[] JsonSyntaxErrors =
    [
        ("trailing-garbage", json => json + "garbage"),
        ("two-messages-concatenated", json => json + json),
        ("comment-before", json => "/* a comment */" + json),
        ("trailing-comma", json => json[..^1] + ",}"),
        ("single-quoted-name", json => ReplaceFirst(json, "\"resourceType\"", "'resourceType'")),
        ("unquoted-name", json => ReplaceFirst(json, "\"type\":", "type:")),
        ("conflicting-duplicate-resourcetype", json => "{\"resourceType\":\"Patient\"," + json[1..]),
        ("conflicting-duplicate-type", json => "{\"type\":\"collection\"," + json[1..]),
        ("conflicting-duplicate-id", json => "{\"id\":\"other-bundle-id\"," + json[1..]),
        ("nan-literal", json => "{\"total\":NaN," + json[1..]),
        ("leading-zero-number", json => "{\"total\":01," + json[1..]),
        ("control-character-in-string", json => ReplaceFirst(json, "\"type\":\"message\"", "\"type\":\"mess\u0001age\"")),
        ("unterminated-string", json => ReplaceFirst(json, "\"type\":\"message\"", "\"type\":\"message")),
    ];

    public static void AddTo(CorpusBuilder corpus)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        Truncated(corpus);
        WrongJsonTypes(corpus);
        PerBase(corpus, F.MissingMessageHeader, MissingHeader, (b, apply) => apply(FhirJson.Entries(b)));
        PerBase(corpus, F.WrongEntryOrder, EntryOrders, (b, apply) => apply(FhirJson.Entries(b)));
        BundleTypeNotMessage(corpus);
        JsonSyntax(corpus);
        NotAMessageBundle(corpus);
        WrongContentType(corpus);
    }

    private static void Truncated(CorpusBuilder corpus)
    {
        foreach (var (medComBase, i) in MedComBases.Json.Select((b, i) => (b, i)))
        {
            var bytes = Encoding.UTF8.GetBytes(medComBase.Fresh().Json.TrimEnd());
            for (var k = 0; k < 3; k++)
            {
                var (name, fraction) = TruncationPoints[(i + k) % TruncationPoints.Length];
                corpus.Reject(F.Truncated, name, medComBase.Name, bytes[..CutAt(bytes.Length, fraction)]);
            }
        }

        foreach (var medComBase in MedComBases.OfKind(MessageKind.HospitalNotification))
        {
            var bytes = Encoding.UTF8.GetBytes(MedComBases.ToXml(medComBase.Fresh().Json).TrimEnd());
            corpus.Reject(F.Truncated, "xml-half", medComBase.Name, bytes[..CutAt(bytes.Length, 0.5)], MalformedCorpus.Xml);
        }

        foreach (var (name, xml) in MedComBases.AcknowledgementXml)
        {
            var bytes = Encoding.UTF8.GetBytes(xml.TrimEnd());
            corpus.Reject(F.Truncated, "xml-last-byte-missing", name, bytes[..CutAt(bytes.Length, 1)], MalformedCorpus.Xml);
        }
    }

    private static int CutAt(int length, double fraction) =>
        fraction <= 0 ? 1 : fraction >= 1 ? length - 1 : (int)(length * fraction);

    private static void WrongJsonTypes(CorpusBuilder corpus)
    {
        foreach (var (medComBase, i) in MedComBases.Json.Select((b, i) => (b, i)))
        {
            for (var k = 0; k < 3; k++)
            {
                var (name, apply) = WrongTypes[(i * 3 + k) % WrongTypes.Length];
                var bundle = MedComBases.FreshNode(medComBase, out _);
                apply(bundle);
                corpus.Reject(F.WrongJsonTypes, name, medComBase.Name, FhirJson.Bytes(bundle));
            }
        }
    }

    /// <summary>One variant per example, taking the variants in turn.</summary>
    private static void PerBase<T>(CorpusBuilder corpus, string family, (string Name, T Apply)[] variants, Action<JsonObject, T> mutate)
    {
        foreach (var (medComBase, i) in MedComBases.Json.Select((b, i) => (b, i)))
        {
            var (name, apply) = variants[i % variants.Length];
            var bundle = MedComBases.FreshNode(medComBase, out _);
            mutate(bundle, apply);
            corpus.Reject(family, name, medComBase.Name, FhirJson.Bytes(bundle));
        }
    }

    private static void BundleTypeNotMessage(CorpusBuilder corpus)
    {
        foreach (var (medComBase, i) in MedComBases.Json.Select((b, i) => (b, i)))
        {
            var type = BundleTypes[i % BundleTypes.Length];
            var bundle = MedComBases.FreshNode(medComBase, out _);
            if (type is null)
            {
                bundle.Remove("type");
            }
            else
            {
                bundle["type"] = type;
            }

            corpus.Reject(F.BundleTypeNotMessage, type is null ? "missing" : type == "Message" ? "wrong-case-message" : type, medComBase.Name, FhirJson.Bytes(bundle));
        }
    }

    private static void JsonSyntax(CorpusBuilder corpus)
    {
        // MedCom's HospitalNotification and CareCommunication files are compact JSON, which the edits below rely on.
        var compact = MedComBases.Json.Where(b => b.Kind != MessageKind.Acknowledgement).ToList();
        foreach (var ((name, apply), i) in JsonSyntaxErrors.Select((e, i) => (e, i)))
        {
            for (var k = 0; k < 2; k++)
            {
                var medComBase = compact[(i * 2 + k) % compact.Count];
                var json = medComBase.Fresh().Json.TrimEnd();
                var broken = apply(json);
                if (broken == json)
                {
                    throw new InvalidOperationException($"{name} did not change {medComBase.Name}.");
                }

                corpus.Reject(F.JsonSyntax, name, medComBase.Name, broken);
            }
        }
    }

    private static void NotAMessageBundle(CorpusBuilder corpus)
    {
        const string family = F.NotAMessageBundle;
        const string none = "no-example";
        var admission = MedComBases.OfKind(MessageKind.HospitalNotification).First();
        var message = admission.Fresh().Json.TrimEnd();
        byte[] bom = [0xEF, 0xBB, 0xBF];

        corpus.Reject(family, "empty", none, []);
        corpus.Reject(family, "whitespace", none, "  \r\n\t ");
        corpus.Reject(family, "null", none, "null");
        corpus.Reject(family, "true", none, "true");
        corpus.Reject(family, "number", none, "42");
        corpus.Reject(family, "string", none, "\"Bundle\"");
        corpus.Reject(family, "empty-array", none, "[]");
        corpus.Reject(family, "empty-object", none, "{}");
        corpus.Reject(family, "bundle-with-nothing", none, "{\"resourceType\":\"Bundle\"}");
        corpus.Reject(family, "hello-world", none, "{\"hello\":\"world\"}");
        corpus.Reject(family, "unknown-resource-type", none, "{\"resourceType\":\"HospitalNotification\",\"id\":\"x\"}");
        corpus.Reject(family, "array-of-messages", admission.Name, "[" + message + "]");
        corpus.Reject(family, "messageheader-alone", admission.Name, FhirJson.Text(FhirJson.Header(FhirJson.Parse(message))));
        foreach (var file in Directory.GetFiles(Path.Combine(MedComExamples.Examples, "ig-core-3.0.1"), "*.json").Order(StringComparer.Ordinal).Take(3))
        {
            var parts = Path.GetFileNameWithoutExtension(file).Split('-');
            corpus.Reject(family, "core-resource", $"core-{parts[0].ToLowerInvariant()}-{parts[1]}", File.ReadAllText(file));
        }

        corpus.Reject(family, "bom-then-garbage", none, [.. bom, .. "garbage"u8]);
        corpus.Reject(family, "bom-only", none, bom);
        corpus.Reject(family, "two-boms-then-message", admission.Name, [.. bom, .. bom, .. Encoding.UTF8.GetBytes(message)]);
        corpus.Reject(family, "utf16-message", admission.Name, [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(message)]);
        corpus.Reject(family, "nul-bytes", none, new byte[1024]);
        corpus.Reject(family, "binary-noise", none, Noise(4096));
        corpus.Reject(family, "plain-text", none, "this is not FHIR", "text/plain");
        corpus.Reject(family, "html", none, "<html><body><p>not FHIR</p></body></html>", "text/html");
        foreach (var file in Directory.GetFiles(Path.Combine(MedComExamples.Examples, "oioxml-conversion"), "Flow*-X*.xml").Order(StringComparer.Ordinal).Take(3))
        {
            // MedCom's OIOXML (EDIFACT-era XML) counterparts: XML, but not FHIR.
            corpus.Reject(family, "oioxml", Path.GetFileNameWithoutExtension(file).ToLowerInvariant(), File.ReadAllText(file), MalformedCorpus.Xml);
        }
    }

    private static void WrongContentType(CorpusBuilder corpus)
    {
        foreach (var medComBase in MedComBases.Json.Where(b => b.Kind != MessageKind.Acknowledgement))
        {
            corpus.Reject(F.WrongContentType, "json-labelled-xml", medComBase.Name, medComBase.Fresh().Json, MalformedCorpus.Xml);
        }

        foreach (var medComBase in MedComBases.OfKind(MessageKind.HospitalNotification))
        {
            corpus.Reject(F.WrongContentType, "xml-labelled-json", medComBase.Name, MedComBases.ToXml(medComBase.Fresh().Json), MalformedCorpus.Json);
        }

        foreach (var (name, xml) in MedComBases.AcknowledgementXml)
        {
            corpus.Reject(F.WrongContentType, "xml-labelled-json", name, xml, MalformedCorpus.Json);
        }

        corpus.Reject(F.WrongContentType, "no-content-type-text", "no-example", "hello", contentType: null);
        corpus.Reject(F.WrongContentType, "octet-stream-noise", "no-example", Noise(512), "application/octet-stream");
        corpus.Reject(F.WrongContentType, "form-urlencoded", "no-example", "resourceType=Bundle&type=message", "application/x-www-form-urlencoded");
    }

    /// <summary>Deterministic bytes that are neither JSON nor XML (first byte not '{' or '&lt;').</summary>
    private static byte[] Noise(int length)
    {
        var bytes = new byte[length];
        uint state = 2463534242;
        for (var i = 0; i < length; i++)
        {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            bytes[i] = (byte)state;
        }

        bytes[0] = 0x01;
        return bytes;
    }

    private static void WrapInArray(JsonObject resource, string property) =>
        resource[property] = new JsonArray(resource[property]!.DeepClone());

    private static void MoveFirst(JsonArray entries, int to)
    {
        var header = entries[0]!;
        entries.RemoveAt(0);
        entries.Insert(to, header);
    }

    private static string ReplaceFirst(string text, string oldValue, string newValue)
    {
        var at = text.IndexOf(oldValue, StringComparison.Ordinal);
        return at < 0 ? text : string.Concat(text.AsSpan(0, at), newValue, text.AsSpan(at + oldValue.Length));
    }
}

using System.Text;
using System.Text.Json.Nodes;

namespace Integration.Fhir.Tests;

/// <summary>Shortcuts for reading and varying MedCom messages in tests.</summary>
internal static class Messages
{
    public static byte[] Utf8(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static ParsedMessage ParseOk(byte[] body, FhirFormat format = FhirFormat.Json)
    {
        var result = FhirServices.Parser.Parse(body, format);
        Assert.True(result.Succeeded, result.Failure?.Reason);
        return result.Message!;
    }

    /// <summary>Whether an example file (JSON or XML, by its extension) is a parseable message Bundle.</summary>
    public static bool IsMessage(string file) =>
        FhirServices.Parser.Parse(MedCom.Bytes(file), Format(file)).Succeeded;

    /// <summary>An example file parsed as ingress parses it.</summary>
    public static ParsedMessage Parse(string file) => ParseOk(MedCom.Bytes(file), Format(file));

    /// <summary>Every narrative div (its XHTML text) in a parsed resource, contained resources included.</summary>
    public static IEnumerable<string> Narratives(Hl7.Fhir.Model.Base node)
    {
        if (node is Hl7.Fhir.Model.XHtml { Value: { Length: > 0 } div })
        {
            yield return div;
            yield break;
        }

        foreach (var (_, value) in node.EnumerateElements())
        {
            var children = value switch
            {
                Hl7.Fhir.Model.Base child => [child],
                IEnumerable<Hl7.Fhir.Model.Base> list => list,
                _ => [],
            };
            foreach (var narrative in children.SelectMany(Narratives))
            {
                yield return narrative;
            }
        }
    }

    public static FhirFormat Format(string file) =>
        file.EndsWith(".xml", StringComparison.Ordinal) ? FhirFormat.Xml : FhirFormat.Json;

    public static JsonArray Entries(JsonObject bundle) => bundle["entry"]!.AsArray();

    public static IEnumerable<JsonObject> Resources(JsonObject bundle, string type) =>
        Entries(bundle).Select(e => e!["resource"]!.AsObject())
            .Where(r => (string?)r["resourceType"] == type);

    public static string HeaderId(JsonObject bundle) => (string)Entries(bundle)[0]!["resource"]!["id"]!;

    /// <summary>The Provenance whose target is this message's MessageHeader.</summary>
    public static JsonObject OwnProvenance(JsonObject bundle)
    {
        var target = $"MessageHeader/{HeaderId(bundle)}";
        return Resources(bundle, "Provenance")
            .Single(p => p["target"]!.AsArray().Any(t => (string?)t!["reference"] == target));
    }

    public static int EntryIndex(JsonObject bundle, JsonObject resource) =>
        Entries(bundle).Select((e, i) => (e, i)).Single(x => ReferenceEquals(x.e!["resource"], resource)).i;

    /// <summary>The CPR number of the message's Patient, read from the file so that no test hard-codes one.</summary>
    public static string Cpr(JsonObject bundle) =>
        (string)Resources(bundle, "Patient").Single()["identifier"]!.AsArray()
            .Single(i => (string?)i!["system"] == "urn:oid:1.2.208.176.1.2")!["value"]!;
}

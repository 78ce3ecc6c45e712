using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests.Robustness;

/// <summary>Just enough FHIR JSON navigation to break MedCom's example messages in precise places.</summary>
public static class FhirJson
{
    // Danish letters stay as they are, as in MedCom's files.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static string Text(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ToJsonString(Relaxed);
    }

    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(Text(node));

    public static JsonArray Entries(JsonObject bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return bundle["entry"]!.AsArray();
    }

    public static JsonObject Header(JsonObject bundle) => Entries(bundle)[0]!["resource"]!.AsObject();

    public static IEnumerable<JsonObject> Resources(JsonObject bundle, string resourceType) =>
        Entries(bundle).Select(e => e?["resource"] as JsonObject)
            .Where(r => r is not null && r["resourceType"]?.GetValue<string>() == resourceType)
            .Select(r => r!);

    /// <summary>The resource a reference points at: by fullUrl, or by <c>Type/id</c>.</summary>
    public static JsonObject? Resolve(JsonObject bundle, string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        foreach (var entry in Entries(bundle))
        {
            var fullUrl = entry?["fullUrl"]?.GetValue<string>();
            if (entry?["resource"] is not JsonObject resource)
            {
                continue;
            }

            var typeAndId = $"{resource["resourceType"]?.GetValue<string>()}/{resource["id"]?.GetValue<string>()}";
            if (fullUrl == reference || typeAndId == reference || (fullUrl?.EndsWith("/" + reference, StringComparison.Ordinal) ?? false))
            {
                return resource;
            }
        }

        return null;
    }

    /// <summary>The Provenance entries whose target is this message's MessageHeader (the others describe earlier messages).</summary>
    public static IEnumerable<JsonObject> ProvenancesOfThisMessage(JsonObject bundle)
    {
        var headerEntry = Entries(bundle)[0]!;
        var fullUrl = headerEntry["fullUrl"]?.GetValue<string>();
        var byId = "MessageHeader/" + headerEntry["resource"]!["id"]!.GetValue<string>();
        return Resources(bundle, "Provenance").Where(p => (p["target"] as JsonArray ?? []).Any(t =>
        {
            var reference = t?["reference"]?.GetValue<string>();
            return reference == fullUrl || reference == byId;
        }));
    }

    /// <summary>The Organizations named as receivers in MessageHeader.destination.</summary>
    public static IEnumerable<JsonObject> Receivers(JsonObject bundle) =>
        (Header(bundle)["destination"] as JsonArray ?? [])
            .Select(d => Resolve(bundle, d?["receiver"]?["reference"]?.GetValue<string>()))
            .Where(o => o is not null)
            .Select(o => o!);

    public static JsonObject? Sender(JsonObject bundle) => Resolve(bundle, Header(bundle)["sender"]?["reference"]?.GetValue<string>());

    /// <summary>The value of an identifier whose system contains <paramref name="systemPart"/> (e.g. "gln").</summary>
    public static JsonObject? Identifier(JsonObject resource, string systemPart)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return (resource["identifier"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .FirstOrDefault(i => i["system"]?.GetValue<string>().Contains(systemPart, StringComparison.Ordinal) == true);
    }
}

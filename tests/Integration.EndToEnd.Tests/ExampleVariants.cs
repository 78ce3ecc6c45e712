using System.Globalization;
using System.Text.Json.Nodes;

namespace Integration.EndToEnd.Tests;

/// <summary>
/// Variants of MedCom's examples, made in memory: a fresh identity (Bundle.id, MessageHeader.id) and a fresh synthetic
/// citizen, so that each test works on its own message and its own stay while keeping MedCom's content.
/// </summary>
public static class ExampleVariants
{
    public const string ExampleCpr = "2509479989";
    private static int s_citizens;

    /// <summary>A well-formed synthetic CPR number that no other test uses (date from a counter, serial 9xxx).</summary>
    public static string NewCpr()
    {
        var n = Interlocked.Increment(ref s_citizens);
        var birth = new DateTime(1930, 1, 1).AddDays(n * 37 % 25000);
        return birth.ToString("ddMMyy", CultureInfo.InvariantCulture) + (9000 + (n % 1000)).ToString(CultureInfo.InvariantCulture);
    }

    public sealed record Variant(string Json, string MessageHeaderId, string BundleId, string Cpr);

    public static Variant Fresh(string exampleJson, string? cpr = null)
    {
        var node = JsonNode.Parse(exampleJson)!;
        var oldBundleId = (string)node["id"]!;
        var oldHeaderId = (string)node["entry"]![0]!["resource"]!["id"]!;
        var headerId = Guid.NewGuid().ToString();
        var bundleId = Guid.NewGuid().ToString();
        cpr ??= NewCpr();
        var json = exampleJson.Replace(oldHeaderId, headerId, StringComparison.Ordinal)
            .Replace(oldBundleId, bundleId, StringComparison.Ordinal)
            .Replace(ExampleCpr, cpr, StringComparison.Ordinal);
        return new Variant(json, headerId, bundleId, cpr);
    }

    /// <summary>The same message in a new envelope: a resend (new Bundle.id, same MessageHeader.id).</summary>
    public static Variant Resend(Variant original)
    {
        var bundleId = Guid.NewGuid().ToString();
        return original with { Json = original.Json.Replace(original.BundleId, bundleId, StringComparison.Ordinal), BundleId = bundleId };
    }

    /// <summary>Rewrites every identifier value in the JSON (e.g. the receiver's EAN and SOR).</summary>
    public static Variant Replace(Variant variant, string oldValue, string newValue) =>
        variant with { Json = variant.Json.Replace(oldValue, newValue, StringComparison.Ordinal) };
}

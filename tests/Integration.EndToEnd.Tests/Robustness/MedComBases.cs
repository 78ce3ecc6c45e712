using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Integration.Testing;

namespace Integration.EndToEnd.Tests.Robustness;

public enum MessageKind { HospitalNotification, CareCommunication, Acknowledgement }

/// <summary>One of MedCom's example messages that malformed cases are derived from.</summary>
public sealed record MedComBase(string Name, MessageKind Kind, string Json)
{
    /// <summary>Sent by the hospital whose acknowledgements the fixture receives over HTTP (<see cref="HospitalEndpoint"/>).</summary>
    public bool SentByObservedHospital { get; init; }

    /// <summary>Carries MedCom's fictive citizen, so <see cref="ExampleVariants.Fresh"/> can put another CPR in.</summary>
    public bool HasExampleCpr => Json.Contains(ExampleVariants.ExampleCpr, StringComparison.Ordinal);

    /// <summary>Only a message the hub answers can be answered with a fatal-error ACK: an acknowledgement never is, and
    /// an ACK can only be observed when it goes to the fixture's hospital.</summary>
    public bool CanGetObservableAck => Kind != MessageKind.Acknowledgement && SentByObservedHospital;

    /// <summary>A copy with a fresh Bundle.id and MessageHeader.id (so dedupe never collapses two cases) and, when
    /// <paramref name="cpr"/> is given, that CPR for MedCom's fictive citizen.</summary>
    public ExampleVariants.Variant Fresh(string? cpr = null) => ExampleVariants.Fresh(Json, cpr);
}

/// <summary>MedCom's examples the corpus is generated from, read where they are (never copied into the repository).</summary>
public static class MedComBases
{
    /// <summary>EAN of the hospital in MedCom's examples (RunningHub.HospitalPartnerId), whose ACKs go to the fixture.</summary>
    public const string ObservedHospitalEan = "5790000209354";

    private static readonly Lazy<IReadOnlyList<MedComBase>> s_json = new(LoadJson);
    private static readonly Lazy<IReadOnlyList<(string Name, string Xml)>> s_acknowledgementXml = new(LoadAcknowledgementXml);

    /// <summary>All JSON bases: HospitalNotification 3.0.2, CareCommunication 5.0.2, Acknowledgement 2.0.3 IG and test examples.</summary>
    public static IReadOnlyList<MedComBase> Json => s_json.Value;

    public static IEnumerable<MedComBase> OfKind(MessageKind kind) => Json.Where(b => b.Kind == kind);

    /// <summary>MedCom's acknowledgement test examples published as XML.</summary>
    public static IReadOnlyList<(string Name, string Xml)> AcknowledgementXml => s_acknowledgementXml.Value;

    /// <summary>A HospitalNotification base, freshly identified, as FHIR XML (MedCom publishes these as JSON only).</summary>
    public static string ToXml(string json)
    {
        var bundle = new FhirJsonDeserializer().Deserialize<Bundle>(json);
        return new FhirXmlSerializer().SerializeToString(bundle);
    }

    private static List<MedComBase> LoadJson()
    {
        var examples = MedComExamples.Examples;
        return
        [
            .. Load(MedComExamples.HospitalNotifications, "Bundle-*.json", "hn", MessageKind.HospitalNotification),
            .. Load(Path.Combine(examples, "ig-carecommunication-5.0.2"), "Bundle-*.json", "cc", MessageKind.CareCommunication),
            .. Load(Path.Combine(examples, "ig-acknowledgement-2.0.3"), "Bundle-*.json", "ack", MessageKind.Acknowledgement),
            .. Load(Path.Combine(examples, "acknowledgement-testexamples"), "*.json", "ack", MessageKind.Acknowledgement),
        ];
    }

    private static IEnumerable<MedComBase> Load(string folder, string pattern, string prefix, MessageKind kind)
    {
        var files = Directory.GetFiles(folder, pattern).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new FileNotFoundException($"No MedCom examples {pattern} in {folder}.");
        }

        foreach (var file in files)
        {
            var json = File.ReadAllText(file);
            var bundle = FhirJson.Parse(json);
            var senderEan = FhirJson.Sender(bundle) is { } sender ? FhirJson.Identifier(sender, "gln")?["value"]?.GetValue<string>() : null;
            yield return new MedComBase($"{prefix}-{ShortName(file)}", kind, json) { SentByObservedHospital = senderEan == ObservedHospitalEan };
        }
    }

    private static List<(string, string)> LoadAcknowledgementXml() =>
    [
        .. Directory.GetFiles(Path.Combine(MedComExamples.Examples, "acknowledgement-testexamples"), "*.xml")
            .Order(StringComparer.Ordinal)
            .Select(f => ($"ack-{ShortName(f)}", File.ReadAllText(f))),
    ];

    /// <summary>"Bundle-a5e5b880-c087-…" → "a5e5b880"; MedCom's test file names are kept whole.</summary>
    private static string ShortName(string file)
    {
        var stem = Path.GetFileNameWithoutExtension(file);
        return stem.StartsWith("Bundle-", StringComparison.Ordinal) ? stem["Bundle-".Length..].Split('-')[0] : stem;
    }

    /// <summary>The JSON node of a base's fresh variant, for structural mutations.</summary>
    public static JsonObject FreshNode(MedComBase medComBase, out ExampleVariants.Variant variant, string? cpr = null)
    {
        ArgumentNullException.ThrowIfNull(medComBase);
        variant = medComBase.Fresh(cpr);
        return FhirJson.Parse(variant.Json);
    }
}

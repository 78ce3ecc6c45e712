using System.Text.Json.Nodes;
using static Integration.Fhir.Tests.Messages;

namespace Integration.Fhir.Tests.Validation;

/// <summary>A MedCom example loaded as JSON, to be varied in memory and validated. The files stay where they are.</summary>
internal sealed class Example
{
    public const string HospitalNotification = "examples/ig-hospitalnotification-3.0.2/Bundle-a5e5b880-c087-4055-b9ec-99108695f81d.json";
    public const string CareCommunication = "examples/ig-carecommunication-5.0.2/Bundle-0d5b3c18-fab6-4d93-9d88-c9c8abf1f18c.json";
    public const string FatalErrorAcknowledgement = "examples/ig-acknowledgement-2.0.3/Bundle-bc9535ef-ed94-4060-a928-7baddec7ee71.json";

    private Example(JsonObject bundle) => Bundle = bundle;

    public JsonObject Bundle { get; }

    /// <summary>The example as FHIR JSON, XML converted by the strict parser as ingress does.</summary>
    public static Example Load(string relative) =>
        new(JsonNode.Parse(relative.EndsWith(".xml", StringComparison.Ordinal)
            ? ParseOk(MedCom.Bytes(relative), FhirFormat.Xml).FhirJson
            : MedCom.Text(relative))!.AsObject());

    public JsonObject Header => Entries(Bundle)[0]!["resource"]!.AsObject();

    public JsonObject Single(string type) => Resources(Bundle, type).Single();

    /// <summary>The Organization MessageHeader.sender (or the primary receiver) references.</summary>
    public JsonObject Sender => Resolve((string)Header["sender"]!["reference"]!);

    public JsonObject Receiver => Resolve((string)Header["destination"]![0]!["receiver"]!["reference"]!);

    public JsonObject OwnProvenance => Messages.OwnProvenance(Bundle);

    /// <summary><c>Bundle.entry[i].resource</c> of a resource of this Bundle.</summary>
    public string PathOf(JsonObject resource) => $"Bundle.entry[{EntryIndex(Bundle, resource)}].resource";

    public void Remove(string type)
    {
        var entries = Entries(Bundle);
        foreach (var entry in entries.Where(e => (string?)e!["resource"]!["resourceType"] == type).ToList())
        {
            entries.Remove(entry);
        }
    }

    /// <summary>Index of the identifier with <paramref name="system"/> in the resource's identifier list.</summary>
    public static int IdentifierIndex(JsonObject resource, string system) =>
        resource["identifier"]!.AsArray().Select((i, index) => (i, index)).Single(x => (string?)x.i!["system"] == system).index;

    public ValidationReport Validate(bool withPackages) => Validators.Get(withPackages).Validate(Bundle.ToJsonString());

    private JsonObject Resolve(string reference) =>
        Entries(Bundle).Select(e => e!["resource"]!.AsObject())
            .Single(r => $"{r["resourceType"]}/{r["id"]}" == reference);
}

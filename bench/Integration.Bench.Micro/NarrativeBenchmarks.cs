using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Integration.Fhir.Parsing;

namespace Integration.Bench.Micro;

/// <summary>
/// Checking every narrative of a message against FHIR's XHTML rules (what ingress does after the deserializer): proven
/// in C# first (ADR 0015, the hub's check) against the schema alone (the baseline, in the same process: the streaming
/// XSD validation the hub ran before). Both give Firely's answer (NarrativeXhtmlTests, NativeNarrativeXhtmlTests).
/// </summary>
[MemoryDiagnoser]
public class NarrativeBenchmarks
{
    private string[] _narratives = [];

    [ParamsSource(nameof(Cases))]
    public MessageCase Message { get; set; } = null!;

    public static IEnumerable<MessageCase> Cases() => MessageCase.All();

    [GlobalSetup]
    public void Setup() => _narratives = [.. Divs(JsonNode.Parse(Message.Body)!)];

    private static IEnumerable<string> Divs(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => p is { Key: "div", Value: JsonValue v } ? [v.GetValue<string>()] : p.Value is { } child ? Divs(child) : []),
        JsonArray a => a.SelectMany(x => x is null ? [] : Divs(x)),
        _ => [],
    };

    [Benchmark(Baseline = true)]
    public int BySchema() => _narratives.Count(NarrativeXhtml.IsValidBySchema);

    [Benchmark]
    public int ProvenInCSharp() => _narratives.Count(NarrativeXhtml.IsValid);
}

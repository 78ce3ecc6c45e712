using BenchmarkDotNet.Attributes;
using Integration.Fhir;
using Integration.Testing;

namespace Integration.Bench.Micro;

/// <summary>
/// The FHIR work the hub does for one message, per message type: parse the body, validate it against MedCom's rules
/// with MedCom's packages loaded, map it to the hub's records (municipal handler), and the three together. Ingress
/// validates the Bundle it has just parsed (ADR 0011: <see cref="ParseAndValidateParsed"/>, <see cref="HubPipeline"/>);
/// validating stored JSON (<see cref="Validate"/>, <see cref="ParseValidateMap"/>) is what the router does for a retry.
/// Allocations per operation with [MemoryDiagnoser].
/// </summary>
[MemoryDiagnoser]
public class MessagePipelineBenchmarks
{
    private static readonly IMessageValidator Validator = FhirServices.CreateValidator(MedComExamples.Packages);
    private string _json = "";

    [ParamsSource(nameof(Cases))]
    public MessageCase Message { get; set; } = null!;

    public static IEnumerable<MessageCase> Cases() => MessageCase.All();

    [GlobalSetup]
    public void Setup()
    {
        var parsed = FhirServices.Parser.Parse(Message.Body, FhirFormat.Json);
        _json = parsed.Message?.FhirJson ?? throw new InvalidOperationException($"{Message.Name}: {parsed.Failure?.Reason}");
        var report = Validator.Validate(_json);
        if (!report.IsValid || !Message.Map(_json))
        {
            throw new InvalidOperationException($"{Message.Name} is not a valid example: {string.Join("; ", report.Errors.Select(e => e.Rule))}");
        }
    }

    [Benchmark]
    public ParseResult Parse() => FhirServices.Parser.Parse(Message.Body, FhirFormat.Json);

    [Benchmark]
    public ValidationReport Validate() => Validator.Validate(_json);

    [Benchmark]
    public bool Map() => Message.Map(_json);

    [Benchmark]
    public bool ParseAndValidateParsed()
    {
        var parsed = FhirServices.Parser.Parse(Message.Body, FhirFormat.Json).Message!;
        return Validator.Validate(parsed).IsValid;
    }

    /// <summary>Everything the hub does with FHIR for one message now: ingress parses and validates the parsed Bundle,
    /// and maps it (HospitalNotification: read from that Bundle for the municipal handler; the others from JSON).</summary>
    [Benchmark]
    public bool HubPipeline()
    {
        var parsed = FhirServices.Parser.Parse(Message.Body, FhirFormat.Json).Message!;
        return Validator.Validate(parsed).IsValid && Message.MapAsTheHubDoes(parsed);
    }

    [Benchmark]
    public bool ParseValidateMap()
    {
        var json = FhirServices.Parser.Parse(Message.Body, FhirFormat.Json).Message!.FhirJson;
        return Validator.Validate(json).IsValid && Message.Map(json);
    }
}

using BenchmarkDotNet.Attributes;
using Integration.Fhir;
using Integration.Testing;

namespace Integration.Bench.Micro;

/// <summary>
/// The FHIR work the hub does for one message, per message type: parse the body (ingress), validate it against
/// MedCom's rules with MedCom's packages loaded (router), map it to the hub's records (municipal handler), and the three
/// together. Allocations per operation with [MemoryDiagnoser].
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
    public bool ParseValidateMap()
    {
        var json = FhirServices.Parser.Parse(Message.Body, FhirFormat.Json).Message!.FhirJson;
        return Validator.Validate(json).IsValid && Message.Map(json);
    }
}

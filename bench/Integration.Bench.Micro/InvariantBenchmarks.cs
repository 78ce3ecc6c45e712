using BenchmarkDotNet.Attributes;
using Integration.Fhir;
using Integration.Fhir.Validation;
using Integration.Testing;

namespace Integration.Bench.Micro;

/// <summary>
/// Validating a parsed message (what ingress does) with MedCom's invariants run as C# where the hub has them (ADR 0014,
/// the hub's validator) against the same validator with every invariant run by Firely's FHIRPath engine (the baseline,
/// in the same process). Both give the same report (NativeInvariantsTests).
/// </summary>
[MemoryDiagnoser]
public class InvariantBenchmarks
{
    private static readonly IMessageValidator WithNativeInvariants = FhirServices.CreateValidator(MedComExamples.Packages);

    private static readonly IMessageValidator FhirPathOnly =
        MessageValidatorFactory.Load(MedComExamples.Packages, FhirParserLimits.Default, null, nativeInvariants: false).Validator;

    private ParsedMessage _parsed = null!;

    [ParamsSource(nameof(Cases))]
    public MessageCase Message { get; set; } = null!;

    public static IEnumerable<MessageCase> Cases() => MessageCase.All();

    [GlobalSetup]
    public void Setup() => _parsed = FhirServices.Parser.Parse(Message.Body, FhirFormat.Json).Message!;

    [Benchmark(Baseline = true)]
    public ValidationReport InvariantsByFhirPath() => FhirPathOnly.Validate(_parsed);

    [Benchmark]
    public ValidationReport InvariantsInCSharp() => WithNativeInvariants.Validate(_parsed);
}

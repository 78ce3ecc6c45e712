using BenchmarkDotNet.Attributes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Integration.Fhir;

namespace Integration.Bench.Micro;

/// <summary>
/// Making the MedCom Acknowledgement that answers every message: the hub's factory, which writes the JSON itself (ADR
/// 0025), against Firely's serializer writing the same Bundle from its object model (the baseline, in the same process).
/// The baseline is only the serializing part of what the factory did before (it built that object model first), so
/// the ratio understates the change. The factory's tests hold its output to Firely's serialization of it.
/// </summary>
[MemoryDiagnoser]
public class AcknowledgementBenchmarks
{
    private AcknowledgementRequest _request = null!;
    private Bundle _bundle = null!;

    [Params("ok", "fatal-error")]
    public string Code { get; set; } = "ok";

    [GlobalSetup]
    public void Setup()
    {
        _request = new AcknowledgementRequest
        {
            RespondsToMessageHeaderId = "6e3b0a8e-5b0e-4c4d-9a6b-1f3c2d4e5f60",
            From = new OrganizationIdentity("5790000120512", "325421000016001", "Herlev Kommune, Hjemmeplejen"),
            FromEndpoint = "https://hub.example.dk/municipality/151",
            To = new OrganizationIdentity("5790001382445", "1144561000016002", "Herlev og Gentofte Hospital, Akutmodtagelsen"),
            ToEndpoint = "https://sygehus.example.dk/fhir/messages",
            Code = Code == "ok" ? AcknowledgementCode.Ok : AcknowledgementCode.FatalError,
            Issues = Code == "ok" ? [] :
            [
                new MedComIssue(MedComIssueCodes.DatatypeWrong, "Patient.identifier is not a well-formed CPR number.", "Bundle.entry[2].resource.identifier", "hub-cpr"),
                new MedComIssue(MedComIssueCodes.CodeSystemValueUnknown, "The Provenance activity code is not in the MedCom activity CodeSystem.", "Bundle.entry[5].resource.activity"),
            ],
            CreatedAt = new DateTimeOffset(2026, 12, 7, 21, 30, 15, TimeSpan.FromHours(1)).AddTicks(1234567),
        };
        var json = FhirServices.AcknowledgementFactory.Create(_request).FhirJson;
        _bundle = new FhirJsonDeserializer(new DeserializerSettings().UsingMode(DeserializationMode.Strict)).Deserialize<Bundle>(json);
    }

    [Benchmark(Baseline = true)]
    public string FirelySerializesTheBundle() => FhirJsonSerializer.Default.SerializeToString(_bundle);

    [Benchmark]
    public string FactoryWritesIt() => FhirServices.AcknowledgementFactory.Create(_request).FhirJson;
}

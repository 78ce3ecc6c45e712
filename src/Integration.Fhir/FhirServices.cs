using Integration.Fhir.Acknowledgements;
using Integration.Fhir.Notifications;
using Integration.Fhir.Outcomes;
using Integration.Fhir.Parsing;

namespace Integration.Fhir;

/// <summary>The FHIR services as thread-safe singletons. Register them in a container with
/// <c>services.AddSingleton(FhirServices.Parser)</c> etc.; the library itself stays free of DI packages.</summary>
public static class FhirServices
{
    /// <summary>Strict parser with <see cref="FhirParserLimits.Default"/>.</summary>
    public static IFhirMessageParser Parser { get; } = CreateParser(FhirParserLimits.Default);

    public static IHospitalNotificationReader HospitalNotificationReader { get; } =
        CreateHospitalNotificationReader(FhirParserLimits.Default);

    public static IAcknowledgementFactory AcknowledgementFactory { get; } = new AcknowledgementFactory();

    public static IOperationOutcomeWriter OperationOutcomeWriter { get; } = new OperationOutcomeWriter();

    /// <summary>A parser with other limits (e.g. a smaller body limit on an HTTP endpoint).</summary>
    public static IFhirMessageParser CreateParser(FhirParserLimits limits) =>
        new FhirMessageParser(new SafeFhirDeserializer(Validated(limits)));

    public static IHospitalNotificationReader CreateHospitalNotificationReader(FhirParserLimits limits) =>
        new HospitalNotificationReader(new SafeFhirDeserializer(Validated(limits)));

    private static FhirParserLimits Validated(FhirParserLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxBodyBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxDepth);
        return limits;
    }
}

using Integration.Fhir.Acknowledgements;
using Integration.Fhir.CareCommunications;
using Integration.Fhir.Messaging;
using Integration.Fhir.Notifications;
using Integration.Fhir.Outcomes;
using Integration.Fhir.Parsing;
using Integration.Fhir.Validation;

namespace Integration.Fhir;

/// <summary>The FHIR services as thread-safe singletons. Register them in a container with
/// <c>services.AddSingleton(FhirServices.Parser)</c> etc.; the library itself stays free of DI packages.</summary>
public static partial class FhirServices
{
    /// <summary>Strict parser with <see cref="FhirParserLimits.Default"/>.</summary>
    public static IFhirMessageParser Parser { get; } = CreateParser(FhirParserLimits.Default);

    public static IHospitalNotificationReader HospitalNotificationReader { get; } =
        CreateHospitalNotificationReader(FhirParserLimits.Default);

    public static IAcknowledgementFactory AcknowledgementFactory { get; } = new AcknowledgementFactory();

    public static IOperationOutcomeWriter OperationOutcomeWriter { get; } = new OperationOutcomeWriter();

    public static ICareCommunicationReader CareCommunicationReader { get; } =
        CreateCareCommunicationReader(FhirParserLimits.Default);

    public static IAcknowledgementReader AcknowledgementReader { get; } =
        new AcknowledgementReader(new SafeFhirDeserializer(FhirParserLimits.Default));

    public static IMessageReenveloper MessageReenveloper { get; } = new MessageReenveloper();

    public static IMessageReaddresser MessageReaddresser { get; } = new MessageReaddresser(new SafeFhirDeserializer(FhirParserLimits.Default));

    /// <summary>A parser with other limits (e.g. a smaller body limit on an HTTP endpoint).</summary>
    public static IFhirMessageParser CreateParser(FhirParserLimits limits) =>
        new FhirMessageParser(new SafeFhirDeserializer(Validated(limits)));

    public static IHospitalNotificationReader CreateHospitalNotificationReader(FhirParserLimits limits) =>
        new HospitalNotificationReader(new SafeFhirDeserializer(Validated(limits)));

    public static ICareCommunicationReader CreateCareCommunicationReader(FhirParserLimits limits) =>
        new CareCommunicationReader(new SafeFhirDeserializer(Validated(limits)));

    /// <summary>The MedCom validator: built-in rules, plus the invariants and terminology of the profile packages (.tgz) in
    /// <paramref name="packagesFolder"/> when one is given (null: built-in rules only). Loads and compiles once; thread-safe.</summary>
    public static IMessageValidator CreateValidator(string? packagesFolder) => LoadValidator(packagesFolder).Validator;

    /// <summary>As <see cref="CreateValidator"/>, with a description of what was loaded and skipped for a start-up log.
    /// <paramref name="onRuntimeSkip"/> hears, once per rule, of a package rule whose evaluation failed (it never rejects).</summary>
    public static LoadedValidator LoadValidator(string? packagesFolder, Action<SkippedConstraint>? onRuntimeSkip = null) =>
        MessageValidatorFactory.Load(packagesFolder, FhirParserLimits.Default, onRuntimeSkip);

    private static FhirParserLimits Validated(FhirParserLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxBodyBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxDepth);
        return limits;
    }
}

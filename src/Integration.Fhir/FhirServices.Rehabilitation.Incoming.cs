using Integration.Fhir.Parsing;
using Integration.Fhir.Rehabilitation;

namespace Integration.Fhir;

// The hub's own incoming rehabilitation messages: training plans and referrals (contracts/profiles).
public static partial class FhirServices
{
    public static ITrainingPlanReader TrainingPlanReader { get; } = CreateTrainingPlanReader(FhirParserLimits.Default);

    public static IReferralReader ReferralReader { get; } = CreateReferralReader(FhirParserLimits.Default);

    public static ITrainingPlanReader CreateTrainingPlanReader(FhirParserLimits limits) =>
        new TrainingPlanReader(new SafeFhirDeserializer(Validated(limits)));

    public static IReferralReader CreateReferralReader(FhirParserLimits limits) =>
        new ReferralReader(new SafeFhirDeserializer(Validated(limits)));
}

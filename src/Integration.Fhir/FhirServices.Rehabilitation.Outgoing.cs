using Integration.Fhir.Parsing;
using Integration.Fhir.Rehabilitation.Outgoing;

namespace Integration.Fhir;

// The municipality's outgoing rehabilitation messages: episode status and admission report (contracts/profiles).
public static partial class FhirServices
{
    public static IEpisodeStatusFactory EpisodeStatusFactory { get; } = new EpisodeStatusFactory();

    public static IEpisodeStatusReader EpisodeStatusReader { get; } =
        new EpisodeStatusReader(new SafeFhirDeserializer(FhirParserLimits.Default));

    public static IAdmissionReportFactory AdmissionReportFactory { get; } = new AdmissionReportFactory();

    public static IAdmissionReportReader AdmissionReportReader { get; } =
        new AdmissionReportReader(new SafeFhirDeserializer(FhirParserLimits.Default));
}

using Integration.Fhir.Rehabilitation.ReadSide;

namespace Integration.Fhir;

public static partial class FhirServices
{
    public static IEpisodeOfCareWriter EpisodeOfCareWriter { get; } = new EpisodeOfCareWriter();
}

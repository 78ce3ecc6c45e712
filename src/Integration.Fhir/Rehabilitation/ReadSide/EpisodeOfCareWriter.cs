using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Integration.Ids;

namespace Integration.Fhir.Rehabilitation.ReadSide;

/// <summary>Writes episodes as FHIR R4 EpisodeOfCare: the citizen by CPR identifier, the plan or referral as
/// referralRequest, the responsible unit as managing organisation, the state mapped to EpisodeOfCare.status.</summary>
internal sealed class EpisodeOfCareWriter : IEpisodeOfCareWriter
{
    private const string CprSystem = "urn:oid:1.2.208.176.1.2";
    private const string EpisodeSystem = "http://rehab-hub.dk/fhir/NamingSystem/episode-id";
    private static readonly FhirJsonSerializer Serializer = new();

    public string Write(EpisodeOfCareView episode)
    {
        ArgumentNullException.ThrowIfNull(episode);
        return Serializer.SerializeToString(Build(episode));
    }

    public string WriteSearchSet(IReadOnlyList<EpisodeOfCareView> episodes, Uri self)
    {
        ArgumentNullException.ThrowIfNull(episodes);
        ArgumentNullException.ThrowIfNull(self);
        var bundle = new Bundle
        {
            Id = TimeOrderedId.New().ToString(),
            Type = Bundle.BundleType.Searchset,
            Total = episodes.Count,
            Link = [new Bundle.LinkComponent { Relation = "self", Url = self.ToString() }],
        };
        foreach (var episode in episodes)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:uuid:{episode.Id}",
                Resource = Build(episode),
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }

        return Serializer.SerializeToString(bundle);
    }

    private static EpisodeOfCare Build(EpisodeOfCareView episode)
    {
        var resource = new EpisodeOfCare
        {
            Id = episode.Id.ToString(),
            Identifier = [new Identifier(EpisodeSystem, $"urn:uuid:{episode.Id}")],
            Status = episode.State switch
            {
                "Referred" => EpisodeOfCare.EpisodeOfCareStatus.Waitlist,
                "Planned" => EpisodeOfCare.EpisodeOfCareStatus.Planned,
                "Active" => EpisodeOfCare.EpisodeOfCareStatus.Active,
                "Paused" => EpisodeOfCare.EpisodeOfCareStatus.Onhold,
                "Completed" => EpisodeOfCare.EpisodeOfCareStatus.Finished,
                _ => EpisodeOfCare.EpisodeOfCareStatus.Cancelled,
            },
            Type = [new CodeableConcept { Text = episode.Kind }],
            Patient = new ResourceReference { Identifier = new Identifier(CprSystem, episode.CitizenCpr) },
            ManagingOrganization = new ResourceReference { Display = $"{episode.ResponsibleUnit} (kommune {episode.MunicipalityCode})" },
            ReferralRequest = [new ResourceReference { Identifier = new Identifier("urn:ietf:rfc:3986", episode.SourceIdentifier) }],
            Period = new Period
            {
                StartElement = new FhirDateTime(episode.StartedAt ?? episode.ReceivedAt),
                EndElement = episode.EndedAt is { } ended ? new FhirDateTime(ended) : null,
            },
        };
        return resource;
    }
}

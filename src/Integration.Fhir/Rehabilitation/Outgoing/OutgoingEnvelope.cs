using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Integration.Fhir.Messaging;
using Integration.Fhir.Validation.Rules;
using Integration.Ids;
using static Integration.Fhir.Acknowledgements.Narratives;

namespace Integration.Fhir.Rehabilitation.Outgoing;

/// <summary>The MedCom envelope of the hub's own outgoing messages: Bundle (type message), MessageHeader first with the
/// hub's event code, the message's own Provenance, sender and receiver Organizations with SOR and EAN, the Patient.</summary>
internal static class OutgoingEnvelope
{
    public static string NewId() => TimeOrderedId.New().ToString("D");

    /// <summary>Sender and receiver must carry both identifiers (MedCom messaging): the factory refuses what the validator
    /// would reject, so a built message is always valid.</summary>
    public static void RequireParties(OrganizationIdentity from, string fromEndpoint, OrganizationIdentity to, string toEndpoint)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        ArgumentException.ThrowIfNullOrWhiteSpace(fromEndpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(toEndpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(from.Sor);
        ArgumentException.ThrowIfNullOrWhiteSpace(from.Ean);
        ArgumentException.ThrowIfNullOrWhiteSpace(to.Sor);
        ArgumentException.ThrowIfNullOrWhiteSpace(to.Ean);
    }

    public static Organization MessagingOrganization(OrganizationIdentity identity)
    {
        var organization = new Organization
        {
            Id = NewId(),
            Meta = new Meta { Profile = [MedComUrls.MessagingOrganizationProfile] },
            Name = string.IsNullOrWhiteSpace(identity.Name) ? null : identity.Name,
            Identifier =
            [
                new Identifier(MedComUrls.SorSystem, identity.Sor),
                new Identifier(MedComUrls.GlnSystem, identity.Ean),
            ],
        };
        organization.Text = Generated($"<p>{E(Describe(identity))}</p>");
        return organization;
    }

    /// <summary>A municipal unit (responsible unit, contact): a name, optionally a SOR code, a phone and a contact person.</summary>
    public static Organization Unit(MunicipalUnit unit)
    {
        var organization = new Organization { Id = NewId(), Name = unit.Name };
        if (!string.IsNullOrWhiteSpace(unit.Sor))
        {
            organization.Identifier.Add(new Identifier(MedComUrls.SorSystem, unit.Sor));
        }

        if (!string.IsNullOrWhiteSpace(unit.Phone))
        {
            organization.Telecom.Add(Phone(unit.Phone));
        }

        if (!string.IsNullOrWhiteSpace(unit.ContactPerson))
        {
            organization.Contact.Add(new Organization.ContactComponent { Name = new HumanName { Text = unit.ContactPerson } });
        }

        var text = E(unit.Name)
                   + (unit.Sor is null ? "" : ", SOR " + E(unit.Sor))
                   + (unit.Phone is null ? "" : ", phone " + E(unit.Phone))
                   + (unit.ContactPerson is null ? "" : ", contact " + E(unit.ContactPerson));
        organization.Text = Generated($"<p>{text}</p>");
        return organization;
    }

    /// <summary>The citizen, by CPR number only. The narrative does not repeat the number.</summary>
    public static Patient CitizenPatient(string cpr) => new()
    {
        Id = NewId(),
        Meta = new Meta { Profile = [OutgoingCodes.PatientProfile] },
        Identifier = [new Identifier(MedComUrls.CprSystem, cpr)],
        Text = Generated("<p>The citizen, identified by CPR number</p>"),
    };

    public static MessageHeader Header(string headerId, string profile, string eventCode, Organization sender, string fromEndpoint,
        Organization receiver, string toEndpoint, Resource focus, string narrative)
    {
        var destination = new MessageHeader.MessageDestinationComponent { Endpoint = toEndpoint, Receiver = Reference(receiver) };
        destination.Extension.Add(new Extension(MedComUrls.DestinationUseExtension,
            new Coding(MedComUrls.DestinationUseCodes, MedComUrls.PrimaryDestination)));
        return new MessageHeader
        {
            Id = headerId,
            Meta = new Meta { Profile = [profile] },
            Text = Generated(narrative),
            Event = new Coding(MedComCodeLists.HubEventCodeSystem, eventCode),
            Destination = [destination],
            Sender = Reference(sender),
            Source = new MessageHeader.MessageSourceComponent { Endpoint = fromEndpoint },
            Focus = [Reference(focus)],
        };
    }

    /// <param name="answersMessageHeaderId">The earlier message this one answers: an entity with role revision, as MedCom
    /// names the message a reply or an acknowledgement answers.</param>
    public static Provenance OwnProvenance(string headerId, DateTimeOffset createdAt, string activity, Organization sender,
        string narrative, string? answersMessageHeaderId = null)
    {
        var provenance = new Provenance
        {
            Id = NewId(),
            Meta = new Meta { Profile = [OutgoingCodes.ProvenanceProfile] },
            Text = Generated(narrative),
            Target = [new ResourceReference($"MessageHeader/{headerId}")],
            Occurred = new FhirDateTime(createdAt),
            Recorded = createdAt,
            Activity = new CodeableConcept(MedComCodeLists.HubActivityCodeSystem, activity),
            Agent = [new Provenance.AgentComponent { Who = Reference(sender) }],
        };
        if (answersMessageHeaderId is not null)
        {
            provenance.Entity.Add(new Provenance.EntityComponent
            {
                Role = Provenance.ProvenanceEntityRole.Revision,
                What = new ResourceReference($"MessageHeader/{answersMessageHeaderId}"),
            });
        }

        return provenance;
    }

    /// <summary>The Bundle with the resources in order (MessageHeader first) as FHIR JSON.</summary>
    public static string Serialize(string bundleId, string profile, DateTimeOffset createdAt, IEnumerable<Resource> resources)
    {
        var bundle = new Bundle
        {
            Id = bundleId,
            Meta = new Meta { Profile = [profile] },
            Type = Bundle.BundleType.Message,
            Timestamp = createdAt,
        };
        foreach (var resource in resources)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{OutgoingCodes.FullUrlBase}{resource.TypeName}/{resource.Id}", Resource = resource });
        }

        return FhirJsonSerializer.Default.SerializeToString(bundle);
    }

    public static ResourceReference Reference(Resource resource) => new($"{resource.TypeName}/{resource.Id}");

    public static ContactPoint Phone(string number) => new(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Work, number);

    public static FhirDateTime Date(DateOnly date) => new(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    public static string Timestamp(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string Describe(OrganizationIdentity identity) =>
        string.Join(", ", new[] { identity.Name, identity.Sor is null ? null : "SOR " + identity.Sor, identity.Ean is null ? null : "EAN " + identity.Ean }
            .Where(p => !string.IsNullOrWhiteSpace(p)));

    /// <summary>XHTML-escapes text for a narrative. Only markup characters are escaped: Danish letters stay readable (WebUtility
    /// would write å as a numeric entity); characters XML cannot hold are replaced (<see cref="XmlCharactersOnly"/>).</summary>
    public static string E(string value) =>
        XmlCharactersOnly(value).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}

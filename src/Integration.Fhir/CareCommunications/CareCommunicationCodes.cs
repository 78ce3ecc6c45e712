using System.Collections.Frozen;

namespace Integration.Fhir.CareCommunications;

/// <summary>The code systems, identifier systems and extensions a CareCommunication (5.0.2, 4.0.3) is read with.</summary>
internal static class CareCommunicationCodes
{
    public const string Event = "care-communication-message";

    public const string CategorySystem = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-careCommunication-categoryCodes";

    /// <summary>Message segment identifier (Communication.payload), listed by the Provenance that added the segment.</summary>
    public const string PayloadIdentifierExtension = "http://medcomfhir.dk/ig/core/StructureDefinition/medcom-core-identifier-extension";

    /// <summary>x-eCPR, from the national eCPR service (dk-core-x-ecpr-identifier).</summary>
    public const string XEcprSystem = "urn:oid:1.2.208.176.1.6.1.1";

    /// <summary>d-eCPR, assigned locally (dk-core-d-ecpr-identifier): this OID, or it with a suffix naming the issuer.</summary>
    public const string DEcprSystem = "urn:oid:1.2.208.176.1.6.1.3";

    /// <summary>medcom-careCommunication-categoryCodes (terminology 2.0.2, CodeSystem version 1.9.0).</summary>
    public static readonly FrozenSet<string> Categories = new[]
    {
        "alcohol-and-drug-treatment", "assistive-devices", "carecoordination", "decease", "discharge",
        "examination-results", "healthcare", "home-care-assessment", "medicine", "nursing", "outpatient",
        "psychiatry-social-disability", "regarding-referral", "telemedicine", "training", "acute-ambulant",
        "extended-care-responsibility", "other",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>medcom-careCommunication-messagingActivities: the activities a CareCommunication may have.</summary>
    public static CareCommunicationActivity? Activity(string code) => code switch
    {
        "new-message" => CareCommunicationActivity.New,
        "reply-message" => CareCommunicationActivity.Reply,
        "forward-message" => CareCommunicationActivity.Forward,
        _ => null,
    };

    public static bool IsReplacementCprSystem(string? system) =>
        system is not null && (system == XEcprSystem || system == DEcprSystem
                               || system.StartsWith(DEcprSystem + ".", StringComparison.Ordinal));
}

namespace Integration.Fhir.Messaging;

/// <summary>Identifier systems, code systems, extensions and profiles of MedCom messaging.</summary>
internal static class MedComUrls
{
    public const string CprSystem = "urn:oid:1.2.208.176.1.2";
    public const string SorSystem = "urn:oid:1.2.208.176.1.1";
    // HospitalNotification 3.0.2 / core 2.0 use https; newer Danish core profiles use http. Both mean GLN.
    public const string GlnSystem = "https://www.gs1.org/gln";
    public const string GlnSystemHttp = "http://www.gs1.org/gln";

    public const string EventCodes = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes";
    public const string ActivityCodes = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes";
    public const string DestinationUseCodes = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-destinationUse";
    public const string AcknowledgementErrorCodes = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-acknowledgement-error-codes";
    public const string Hl7OperationOutcomeCodes = "http://terminology.hl7.org/CodeSystem/operation-outcome";

    public const string DestinationUseExtension = "http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-destinationUseExtension";
    // "hospitalnotifiation" is MedCom's spelling of the canonical URL.
    public const string LeavePeriodExtension = "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-hospitalnotifiation-leave-period-extension";
    public const string ReportOfAdmissionExtension = "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-messaging-reportOfAdmissionExtension";
    public const string ReportOfAdmissionRecipientExtension = "http://medcomfhir.dk/ig/hospitalnotification/StructureDefinition/medcom-messaging-reportOfAdmissionRecipientExtension";

    public const string AcknowledgementBundleProfile = "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-messaging-acknowledgement";
    public const string AcknowledgementHeaderProfile = "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-messaging-acknowledgementHeader";
    public const string AcknowledgementOperationOutcomeProfile = "http://medcomfhir.dk/ig/acknowledgement/StructureDefinition/medcom-acknowledgement-operationoutcome";
    public const string MessagingProvenanceProfile = "http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-provenance";
    public const string MessagingOrganizationProfile = "http://medcomfhir.dk/ig/messaging/StructureDefinition/medcom-messaging-organization";

    /// <summary>Base of the fullUrls in MedCom's acknowledgement examples: <c>{base}/{type}/{id}</c>.</summary>
    public const string AcknowledgementFullUrlBase = "https://medcomfhir.dk/ig/acknowledgement/";

    public const string HospitalNotificationEvent = "hospital-notification-message";
    public const string AcknowledgementEvent = "acknowledgement-message";
    public const string AcknowledgementActivity = "acknowledgement";
    public const string PrimaryDestination = "primary";
    /// <summary>Episode-of-care identifiers issued under a SOR code: the hospital's stay identifier.</summary>
    public const string SorEpisodeOfCareSystemPrefix = "https://sor2.sum.dsdn.dk";
}

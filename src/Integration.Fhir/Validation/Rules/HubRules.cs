namespace Integration.Fhir.Validation.Rules;

/// <summary>The built-in rules: each has a stable name (it appears in acknowledgements, traces and logs) and the MedCom
/// issue detail code its violation is reported with. They need no profile packages.</summary>
/// <remarks>Codes, by kind of problem: a missing resource MSG_RESOURCE_REQUIRED, one too many MSG_RESOURCE_NOT_ALLOWED,
/// a missing or surplus element MSG_BAD_FORMAT, a malformed identifier MSG_ID_INVALID (too long: MSG_Element_To_Long), a
/// code outside its code system MSG_CodeSystem_VALUE_UNKNOWN, a known code not allowed here MSG_VALUESET_VALUE_UNKNOWN,
/// a timestamp without time zone MSG_DATE_FORMAT, a value of the wrong type MSG_Datatype_Wrong, a receiver without
/// identifiers MSG_Receiver_Identifier_MISSING, and FHIR that does not parse strictly MSG_BAD_SYNTAX.</remarks>
internal static class HubRules
{
    private const string BadFormat = "MSG_BAD_FORMAT";
    private const string BadSyntax = "MSG_BAD_SYNTAX";
    private const string ResourceRequired = "MSG_RESOURCE_REQUIRED";
    private const string ResourceNotAllowed = "MSG_RESOURCE_NOT_ALLOWED";
    private const string IdInvalid = "MSG_ID_INVALID";
    private const string DateFormat = "MSG_DATE_FORMAT";
    private const string NoMatch = "MSG_NO_MATCH";

    // ---- Every message ----
    public static readonly HubRule StrictParse = new("hub-fhir-strict-parse", BadSyntax,
        "The message is FHIR R4 that Firely's strict deserializer accepts.");
    public static readonly HubRule HeaderFirst = new("hub-header-first", ResourceRequired,
        "entry[0] of the Bundle (type message) is a MessageHeader with an id.");
    public static readonly HubRule BundleTimestamp = new("hub-bundle-timestamp", BadFormat,
        "Bundle.id and Bundle.timestamp are present.");
    public static readonly HubRule EntryResource = new("hub-entry-resource", ResourceRequired,
        "Every entry of a message Bundle has a resource (FHIR bdl-5; a message has no requests).");
    public static readonly HubRule EntryFullUrlUnique = new("hub-entry-fullurl-unique", "MSG_DUPLICATE_ID",
        "No two entries have the same fullUrl (FHIR bdl-7; a message has no versions).");
    public static readonly HubRule TimestampZone = new("hub-timestamp-zone", DateFormat,
        "Every timestamp with a time carries a time zone; Provenance.occurredDateTime has a time.");
    public static readonly HubRule EventCode = new("hub-event-code", MedComIssueCodes.CodeSystemValueUnknown,
        "MessageHeader.eventCoding is a code of MedCom's event code system.");
    public static readonly HubRule Sender = new("hub-sender", ResourceRequired,
        "MessageHeader.sender references an Organization in the Bundle.");
    public static readonly HubRule Destination = new("hub-destination", MedComIssueCodes.ReceiverIdentifierMissing,
        "Exactly one primary destination (destinationUse extension); every destination's receiver is an Organization in the Bundle.");
    public static readonly HubRule NoCarbonCopy = new("hub-destination-no-cc", BadFormat,
        "HospitalNotification, CareCommunication and Acknowledgement have no cc destination.");
    public static readonly HubRule OrganizationIdentifiers = new("hub-organization-identifiers", MedComIssueCodes.ReceiverIdentifierMissing,
        "Sender and receiver Organizations carry both a SOR and an EAN/GLN identifier.");
    public static readonly HubRule SorFormat = new("hub-sor-format", IdInvalid,
        "A SOR identifier is digits only, at least 11 of them.");
    public static readonly HubRule SorTooLong = new("hub-sor-too-long", MedComIssueCodes.ElementTooLong,
        "A SOR identifier has at most 18 digits.");
    public static readonly HubRule EanFormat = new("hub-ean-format", IdInvalid,
        "An EAN/GLN identifier has 13 digits.");
    public static readonly HubRule EanCheckDigit = new("hub-ean-check-digit", IdInvalid,
        "An EAN/GLN identifier has a valid GS1 mod-10 check digit.");
    public static readonly HubRule GlnSystem = new("hub-gln-system", IdInvalid,
        "A GS1 identifier uses https://www.gs1.org/gln or http://www.gs1.org/gln as its system.");
    public static readonly HubRule ProvenanceRequired = new("hub-provenance-required", ResourceRequired,
        "The message has a Provenance whose target is its MessageHeader.");
    public static readonly HubRule ActivityCode = new("hub-activity-code", MedComIssueCodes.CodeSystemValueUnknown,
        "Every Provenance.activity is a code of MedCom's activity code system allowed for the message type.");
    public static readonly HubRule CprFormat = new("hub-cpr-format", IdInvalid,
        "A CPR number has 10 digits and starts with a real date (DDMMYY).");

    // ---- The citizen (every message type about one) ----
    public static readonly HubRule PatientRequired = new("hub-patient-required", ResourceRequired,
        "A message about a citizen (HospitalNotification, CareCommunication, the hub's rehabilitation messages) has exactly one Patient.");
    public static readonly HubRule PatientCpr = new("hub-patient-cpr", IdInvalid,
        "The Patient of a HospitalNotification or of the hub's rehabilitation messages is identified by a CPR number.");

    // ---- HospitalNotification 3.0.2 ----
    public static readonly HubRule EncounterRequired = new("hub-hn-encounter", ResourceRequired,
        "A HospitalNotification has one Encounter and MessageHeader.focus references it.");
    public static readonly HubRule EncounterClass = new("hub-hn-encounter-class", MedComIssueCodes.ValueSetValueUnknown,
        "Encounter.class is IMP or EMER (v3-ActCode).");
    public static readonly HubRule EncounterStatus = new("hub-hn-encounter-status", MedComIssueCodes.ValueSetValueUnknown,
        "Encounter.status is in-progress, onleave, finished or entered-in-error.");
    public static readonly HubRule EncounterElements = new("hub-hn-encounter-elements", BadFormat,
        "The Encounter has episodeOfCare.identifier, period.start and serviceProvider.");

    // ---- CareCommunication 5.0.2 / 4.0.3 ----
    public static readonly HubRule CommunicationRequired = new("hub-cc-communication", ResourceRequired,
        "A CareCommunication has one Communication and MessageHeader.focus references it.");
    public static readonly HubRule Category = new("hub-cc-category", MedComIssueCodes.CodeSystemValueUnknown,
        "Communication.category has one coding from MedCom's CareCommunication category codes.");
    public static readonly HubRule PayloadText = new("hub-cc-payload-text", BadFormat,
        "The Communication has at least one payload with a message text (contentString).");
    public static readonly HubRule PayloadIdentifier = new("hub-cc-payload-identifier", BadFormat,
        "Every payload carries the identifier extension.");
    public static readonly HubRule ProvenancePayload = new("hub-cc-provenance-payload", NoMatch,
        "The message's own Provenance names the payloads it adds: source entities whose what.identifier is a payload's identifier.");
    public static readonly HubRule Definition = new("hub-cc-definition", BadFormat,
        "MessageHeader.definition is present (CareCommunication 5.0.2 makes it 1..1; the package checks its value).");

    // ---- Acknowledgement 2.0.3 ----
    public static readonly HubRule AckResponse = new("hub-ack-response", BadFormat,
        "MessageHeader.response has identifier and code.");
    public static readonly HubRule AckOutcome = new("hub-ack-outcome", ResourceRequired,
        "A response other than ok has an OperationOutcome, referenced from response.details.");
    public static readonly HubRule AckIssueCode = new("hub-ack-issue-code", MedComIssueCodes.ValueSetValueUnknown,
        "Warning: OperationOutcome issue detail codes come from medcom-acknowledgement-issue-details.");

    public static IReadOnlyList<HubRule> All { get; } =
    [
        StrictParse, HeaderFirst, BundleTimestamp, EntryResource, EntryFullUrlUnique, TimestampZone, EventCode, Sender, Destination, NoCarbonCopy,
        OrganizationIdentifiers, SorFormat, SorTooLong, EanFormat, EanCheckDigit, GlnSystem, ProvenanceRequired,
        ActivityCode, CprFormat, PatientRequired, PatientCpr, EncounterRequired, EncounterClass, EncounterStatus,
        EncounterElements, CommunicationRequired, Category, PayloadText, PayloadIdentifier, ProvenancePayload,
        Definition, AckResponse, AckOutcome, AckIssueCode,
        .. EpisodeStatusRules.Rules, .. AdmissionReportRules.Rules,
        .. RehabilitationRequestRules.All, .. TrainingPlanRules.All, .. ReferralRules.All,
    ];
}

/// <summary>A built-in rule: its stable name, the issue detail code its violations carry, and what it demands.</summary>
internal sealed record HubRule(string Name, string MedComCode, string Description);

namespace Integration.Fhir;

// The public surface of the FHIR library. No Firely type crosses it: callers get plain records and FHIR JSON text.

/// <summary>Wire format of a FHIR body.</summary>
public enum FhirFormat { Json, Xml }

/// <summary>An organisation as MedCom messaging names it: SOR code and EAN/GLN location number.</summary>
public sealed record OrganizationIdentity(string? Ean, string? Sor, string? Name);

/// <summary>The routing facts of a MedCom message Bundle, read once at ingress.</summary>
public sealed record MessageEnvelope
{
    public required string BundleId { get; init; }
    public required string MessageHeaderId { get; init; }
    /// <summary>MessageHeader.eventCoding.code, e.g. <c>hospital-notification-message</c>.</summary>
    public required string MessageType { get; init; }
    public required OrganizationIdentity Sender { get; init; }
    /// <summary>Receivers of destinations marked primary (or all destinations when none is marked).</summary>
    public required IReadOnlyList<OrganizationIdentity> Receivers { get; init; }
    public string? SourceEndpoint { get; init; }
    public string? DestinationEndpoint { get; init; }
    /// <summary>The subject's CPR number when the message has a Patient with one. Never log it.</summary>
    public string? CitizenCpr { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    /// <summary>For acknowledgements: MessageHeader.response.identifier and .code.</summary>
    public string? ResponseToMessageHeaderId { get; init; }
    public string? ResponseCode { get; init; }
}

/// <summary>A parsed message: the envelope and the message as FHIR JSON (XML input is converted).</summary>
public sealed record ParsedMessage(MessageEnvelope Envelope, string FhirJson)
{
    /// <summary>The Bundle the parser read, so validation need not parse the message again. Not part of the public
    /// surface (no Firely type crosses it); treat it as read-only.</summary>
    internal Hl7.Fhir.Model.Bundle? Bundle { get; init; }
}

/// <summary>Why a body is not a parseable FHIR message Bundle. <see cref="Location"/> is an element path when known.</summary>
public sealed record ParseFailure(string Reason, string? Location);

public sealed record ParseResult(ParsedMessage? Message, ParseFailure? Failure)
{
    public bool Succeeded => Message is not null;
}

/// <summary>Strict parsing of message Bundles (JSON or XML). Thread-safe; register as a singleton.</summary>
public interface IFhirMessageParser
{
    /// <summary>Parses a body into a message Bundle. Fails (never throws) when the body is not FHIR, not a Bundle
    /// of type message, or has no MessageHeader as entry[0] with an id.</summary>
    ParseResult Parse(ReadOnlySpan<byte> body, FhirFormat format);
}

/// <summary>MedCom issue detail codes (medcom-acknowledgement-error-codes) and where the problem is.</summary>
public sealed record MedComIssue(string Code, string Text, string? Path, string? Rule = null);

/// <summary>MedCom HospitalNotification event codes. RE_ = correction, AN_ = cancellation of the latest notification.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1707", Justification = "MedCom's own event codes (RE_STIN, AN_SLHJ) are the names users and partners know.")]
public enum NotificationEvent
{
    STAA, STIN, STOR, SLOR, SLHJ, MORS,
    RE_STAA, RE_STIN, RE_STOR, RE_SLOR, RE_SLHJ, RE_MORS,
    AN_STAA, AN_STIN, AN_STOR, AN_SLOR, AN_SLHJ, AN_MORS,
}

/// <summary>A HospitalNotification (advis om sygehusophold) read into plain values.</summary>
public sealed record HospitalNotification
{
    public required string MessageHeaderId { get; init; }
    public required NotificationEvent Event { get; init; }
    /// <summary>The Provenance.activity code of this message, e.g. <c>admit-inpatient</c>.</summary>
    public required string ActivityCode { get; init; }
    /// <summary>Provenance.occurredDateTime of this message's Provenance: when the event happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
    public required string CitizenCpr { get; init; }
    /// <summary>The hospital's identifier of the stay (Encounter.episodeOfCare.identifier, urn:uuid: prefix removed; Encounter.id when absent).</summary>
    public required string StayIdentifier { get; init; }
    /// <summary>Encounter.class code: IMP (admitted) or EMER (acute ambulant).</summary>
    public required string EncounterClass { get; init; }
    public required string EncounterStatus { get; init; }
    public DateTimeOffset? StayStart { get; init; }
    public DateTimeOffset? StayEnd { get; init; }
    public DateTimeOffset? LeaveStart { get; init; }
    public DateTimeOffset? LeaveEnd { get; init; }
    public bool PatientDeceased { get; init; }
    /// <summary>MessageHeader reportOfAdmission extension: the hospital asks for an admission report.</summary>
    public bool ReportOfAdmissionRequested { get; init; }
    public OrganizationIdentity? ReportOfAdmissionRecipient { get; init; }
    /// <summary>The ward (Encounter.serviceProvider) when given.</summary>
    public OrganizationIdentity? ServiceProvider { get; init; }
}

public sealed record HospitalNotificationResult(HospitalNotification? Notification, IReadOnlyList<MedComIssue> Errors)
{
    public bool Succeeded => Notification is not null && Errors.Count == 0;
}

/// <summary>Reads a HospitalNotification from FHIR JSON. The event comes from Provenance.activity and Patient.deceased,
/// not from Encounter.status (MedCom's own examples contradict the status table).</summary>
public interface IHospitalNotificationReader
{
    HospitalNotificationResult Read(string fhirJson);

    /// <summary>Reads a message the parser has just read, without parsing it again.</summary>
    HospitalNotificationResult Read(ParsedMessage message);
}

/// <summary>MessageHeader.response.code of a MedCom Acknowledgement.</summary>
public enum AcknowledgementCode { Ok, TransientError, FatalError }

/// <summary>What an acknowledgement answers and who sends it to whom.</summary>
public sealed record AcknowledgementRequest
{
    /// <summary>MessageHeader.id of the message being acknowledged (goes to response.identifier).</summary>
    public required string RespondsToMessageHeaderId { get; init; }
    /// <summary>The acknowledging organisation: the original message's receiver.</summary>
    public required OrganizationIdentity From { get; init; }
    public required string FromEndpoint { get; init; }
    /// <summary>The original sender, who receives the acknowledgement.</summary>
    public required OrganizationIdentity To { get; init; }
    public required string ToEndpoint { get; init; }
    public required AcknowledgementCode Code { get; init; }
    /// <summary>Required (at least one) unless <see cref="Code"/> is Ok.</summary>
    public IReadOnlyList<MedComIssue> Issues { get; init; } = [];
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A MedCom Acknowledgement 2.0.3 Bundle ready to send.</summary>
public sealed record BuiltAcknowledgement(string BundleId, string MessageHeaderId, string FhirJson);

public interface IAcknowledgementFactory
{
    BuiltAcknowledgement Create(AcknowledgementRequest request);
}

/// <summary>FHIR OperationOutcome JSON for HTTP answers (400, 202).</summary>
public interface IOperationOutcomeWriter
{
    /// <param name="severity">fatal, error, warning or information</param>
    /// <param name="code">a FHIR issue-type code, e.g. structure, invalid, informational</param>
    string Write(string severity, string code, string diagnostics, string? location = null);
}

// ---- Validation (issue 3): one component behind an interface, so a full profile validator can replace it. ----

public enum ValidationSeverity { Error, Warning }

/// <summary>One broken rule. <see cref="Rule"/> names it (a MedCom invariant key such as <c>medcom-messaging-1</c>, or one of
/// the hub's own rule names); <see cref="Path"/> is the FHIRPath of the element; <see cref="MedComCode"/> is the issue
/// detail code for the acknowledgement (medcom-acknowledgement-error-codes or HL7 operation-outcome).</summary>
public sealed record ValidationIssue(ValidationSeverity Severity, string Rule, string Path, string MedComCode, string Text);

public sealed record ValidationReport(IReadOnlyList<ValidationIssue> Issues)
{
    public static ValidationReport Valid { get; } = new([]);
    /// <summary>Warnings do not reject a message.</summary>
    public bool IsValid => Issues.All(i => i.Severity != ValidationSeverity.Error);
    public IEnumerable<ValidationIssue> Errors => Issues.Where(i => i.Severity == ValidationSeverity.Error);
}

/// <summary>Checks a parsed message (FHIR JSON from <see cref="IFhirMessageParser"/>) against MedCom's rules for its type.
/// Never throws on bad content; thread-safe.</summary>
public interface IMessageValidator
{
    ValidationReport Validate(string fhirJson);

    /// <summary>Validates a message the parser has just read, without parsing it again.</summary>
    ValidationReport Validate(ParsedMessage message);
}

// ---- CareCommunication 5.0.2 (korrespondancemeddelelse) ----

/// <summary>Provenance.activity of the message's own Provenance: new-message, reply-message or forward-message.</summary>
public enum CareCommunicationActivity { New, Reply, Forward }

/// <summary>A replacement CPR number (erstatnings-CPR) of a Patient without a CPR number, or beside one: x-eCPR
/// (<c>urn:oid:1.2.208.176.1.6.1.1</c>, national eCPR service) or d-eCPR (<c>urn:oid:1.2.208.176.1.6.1.3</c>[.n],
/// assigned locally). Never log it.</summary>
public sealed record ReplacementCpr(string System, string Value);

/// <summary>A CareCommunication read into plain values; enough to keep conversations and route it.</summary>
/// <remarks>MedCom's thread rules (governance for CareCommunication): Communication.identifier is the thread. A reply keeps
/// it; a forward starts a new thread with a new identifier (carrying the earlier segments); a reply to a message that is not
/// the latest of its thread also starts a new one. The message's own Provenance says which message it answers or forwards.</remarks>
public sealed record CareCommunication
{
    public required string MessageHeaderId { get; init; }
    public required CareCommunicationActivity Activity { get; init; }
    /// <summary>The thread: Communication.identifier.value as sent (<c>urn:uuid:…</c>). A reply keeps it; a forward has a new one.</summary>
    public required string ConversationId { get; init; }
    /// <summary>Communication.category code, e.g. <c>training</c>, <c>discharge</c>, <c>regarding-referral</c>.</summary>
    public required string Category { get; init; }
    /// <summary>Communication.topic.text (emne), when given.</summary>
    public string? Topic { get; init; }
    /// <summary>Communication.priority (<c>routine</c> or <c>asap</c>); MedCom allows it only with category regarding-referral.</summary>
    public string? Priority { get; init; }
    /// <summary>The Patient's CPR number; null when the Patient is identified by a replacement CPR only (then
    /// <see cref="ReplacementCprs"/> is not empty). Never log it.</summary>
    public string? CitizenCpr { get; init; }
    public IReadOnlyList<ReplacementCpr> ReplacementCprs { get; init; } = [];
    /// <summary>Provenance.occurredDateTime of the message's own Provenance: when it was sent (the same across resends).</summary>
    public required DateTimeOffset SentAt { get; init; }
    /// <summary>MessageHeader ids of the earlier messages this one replies to or forwards (from Provenance.entity).</summary>
    public IReadOnlyList<string> PreviousMessageHeaderIds { get; init; } = [];
    /// <summary>An EDIFACT or OIOXML message this one replies to, as MedCom writes it in Provenance.entity.what.identifier
    /// (<c>[lokationsnummer]#[brevid]</c>; MedCom's own example has the parts the other way round).</summary>
    public IReadOnlyList<string> PreviousNonFhirMessageIds { get; init; } = [];
}

public sealed record CareCommunicationResult(CareCommunication? Message, IReadOnlyList<MedComIssue> Errors)
{
    public bool Succeeded => Message is not null && Errors.Count == 0;
}

/// <summary>Reads a MedCom CareCommunication (5.0.2; 4.0.3 has the same shape) from FHIR JSON. Errors are MedCom issues with
/// element paths, ready for a fatal-error acknowledgement; their texts never quote values from the message. Thread-safe.</summary>
public interface ICareCommunicationReader
{
    CareCommunicationResult Read(string fhirJson);
}

// ---- Acknowledgements received from partners, and resending what the hub sent ----

/// <summary>An incoming MedCom Acknowledgement: what it answers (MessageHeader.response.identifier) and how.</summary>
public sealed record ReceivedAcknowledgement(string RespondsToMessageHeaderId, AcknowledgementCode Code, IReadOnlyList<MedComIssue> Issues);

public sealed record ReceivedAcknowledgementResult(ReceivedAcknowledgement? Acknowledgement, IReadOnlyList<MedComIssue> Errors)
{
    public bool Succeeded => Acknowledgement is not null && Errors.Count == 0;
}

/// <summary>Reads a MedCom Acknowledgement from FHIR JSON: response.identifier, response.code and the issues of the
/// OperationOutcome that response.details names. An issue's code is its details.coding code (MedCom's error codes first),
/// else its FHIR issue type; its path is the first expression, else the first location. Thread-safe.</summary>
public interface IAcknowledgementReader
{
    ReceivedAcknowledgementResult Read(string fhirJson);
}

/// <summary>MedCom resends a message in a new envelope: new Bundle.id, same MessageHeader.id.</summary>
public interface IMessageReenveloper
{
    /// <returns>The message as FHIR JSON with Bundle.id = <paramref name="newBundleId"/> and Bundle.timestamp = <paramref name="sentAt"/>.</returns>
    string Reenvelope(string fhirJson, string newBundleId, DateTimeOffset sentAt);
}

/// <summary>A replay's new identity and addressee: a new message (new MessageHeader.id and Bundle.id) to <see cref="Receiver"/>.</summary>
public sealed record ReplayAddress(string NewMessageHeaderId, string NewBundleId, DateTimeOffset SentAt, OrganizationIdentity Receiver, string? ReceiverEndpoint);

/// <summary>The replayed message as FHIR JSON, or why it could not be made.</summary>
public sealed record ReaddressResult(string? FhirJson, string? Failure)
{
    public bool Succeeded => FhirJson is not null;
}

/// <summary>
/// An operator replays a processed message to a chosen receiver. MedCom: a message sent again on purpose (not a resend
/// for a missing ACK) is a new message, so it gets a new MessageHeader.id and Bundle.id, and the receiver it names is the
/// one it goes to.
/// </summary>
public interface IMessageReaddresser
{
    ReaddressResult Readdress(string fhirJson, ReplayAddress address);
}

namespace Integration.Fhir;

// The two messages a municipality sends through the hub about rehabilitation (issue 4): the episode-status message to the
// hospital or GP that sent the plan or referral, and the admission report (indlæggelsesrapport) to a hospital that asked
// for one. Both are the hub's own MedCom-style messages, defined in contracts/profiles. No Firely type crosses this file.

/// <summary>The status an episode-status message reports (Provenance.activity <c>episode-…</c>, EpisodeOfCare.status).</summary>
public enum EpisodeStatus
{
    /// <summary>The plan or referral was received and an episode created (EpisodeOfCare.status waitlist).</summary>
    Received,
    /// <summary>A start date is planned (EpisodeOfCare.status planned, period.start = the planned date).</summary>
    StartPlanned,
    /// <summary>The training or effort started (active, period.start = the start date).</summary>
    Started,
    /// <summary>The episode ended after revisitation, with an outcome (finished).</summary>
    Completed,
    /// <summary>The episode was cancelled, with a reason (cancelled).</summary>
    Cancelled,
}

/// <summary>How a completed episode ended, from the revisitation (CodeSystem rehab-episode-outcome).</summary>
public enum EpisodeOutcome { SelfReliant, ReducedHelp, MaintenanceTraining, NewEpisode, MovedToCareHome, Died }

/// <summary>The legal basis of a municipal service (CodeSystem rehab-legal-basis).</summary>
public enum ServiceLegalBasis
{
    /// <summary>Serviceloven §83: personal and practical help.</summary>
    Serviceloven83,
    /// <summary>Serviceloven §83a: a time-limited rehabilitation course.</summary>
    Serviceloven83a,
    /// <summary>Serviceloven §85: socio-educational support.</summary>
    Serviceloven85,
    /// <summary>Serviceloven §86: training.</summary>
    Serviceloven86,
    /// <summary>Sundhedsloven §138: home nursing.</summary>
    Sundhedsloven138,
    /// <summary>Sundhedsloven §140: rehabilitation after discharge.</summary>
    Sundhedsloven140,
}

/// <summary>A municipal unit named in a message: the unit responsible for an episode, or the contact of an admission report.
/// <see cref="Sor"/> is optional (not every team has its own SOR code).</summary>
public sealed record MunicipalUnit(string Name, string? Sor = null, string? Phone = null, string? ContactPerson = null);

/// <summary>An identifier the other side issued: the ServiceRequest.identifier of a training plan or referral.</summary>
public sealed record RequestIdentifier(string Value, string? System = null);

/// <summary>One service the citizen receives from the municipality, as the admission report lists it.</summary>
/// <param name="Name">What the help is, in words (e.g. "Personlig pleje", "Hjemmesygepleje: medicindispensering").</param>
/// <param name="Frequency">How often, in words (e.g. "Morgen og aften, dagligt"), when known.</param>
public sealed record MunicipalService(string Name, ServiceLegalBasis LegalBasis, string? Frequency = null);

/// <summary>What an episode-status message says and who sends it to whom.</summary>
/// <remarks>The fields a status needs: <see cref="EpisodeStatus.StartPlanned"/> a <see cref="PlannedStart"/>,
/// <see cref="EpisodeStatus.Started"/> a <see cref="StartedOn"/>, <see cref="EpisodeStatus.Completed"/> an
/// <see cref="Outcome"/>, <see cref="EpisodeStatus.Cancelled"/> a <see cref="CancelReason"/>. A field that does not belong to
/// the status is refused rather than sent.</remarks>
public sealed record EpisodeStatusRequest
{
    /// <summary>The municipality (sender): SOR and EAN.</summary>
    public required OrganizationIdentity From { get; init; }
    /// <summary>Where the receiver's acknowledgement goes (MessageHeader.source.endpoint).</summary>
    public required string FromEndpoint { get; init; }
    /// <summary>The hospital or GP that sent the plan or referral: SOR and EAN.</summary>
    public required OrganizationIdentity To { get; init; }
    public required string ToEndpoint { get; init; }
    /// <summary>Never log it.</summary>
    public required string CitizenCpr { get; init; }
    /// <summary>The municipality's identifier of the episode (EpisodeOfCare.identifier), the same in every status message.</summary>
    public required string EpisodeId { get; init; }
    /// <summary>The plan or referral this episode answers (EpisodeOfCare.referralRequest.identifier).</summary>
    public required RequestIdentifier AnsweredRequest { get; init; }
    public required EpisodeStatus Status { get; init; }
    public DateOnly? PlannedStart { get; init; }
    /// <summary>When the episode started: for Started, and optionally for Completed and Cancelled.</summary>
    public DateOnly? StartedOn { get; init; }
    /// <summary>When the episode ended: optional, for Completed and Cancelled.</summary>
    public DateOnly? EndedOn { get; init; }
    public EpisodeOutcome? Outcome { get; init; }
    public string? CancelReason { get; init; }
    /// <summary>The unit responsible for the episode (EpisodeOfCare.managingOrganization).</summary>
    public required MunicipalUnit ResponsibleUnit { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>An episode-status message ready to send through the ACK ledger.</summary>
public sealed record BuiltEpisodeStatus(string BundleId, string MessageHeaderId, string FhirJson);

public interface IEpisodeStatusFactory
{
    /// <exception cref="ArgumentException">The request misses what its status needs, or has what it must not.</exception>
    BuiltEpisodeStatus Create(EpisodeStatusRequest request);
}

/// <summary>An episode-status message read back into plain values.</summary>
public sealed record ReceivedEpisodeStatus
{
    public required string MessageHeaderId { get; init; }
    /// <summary>Provenance.occurredDateTime: when the status was sent (the same across resends).</summary>
    public required DateTimeOffset SentAt { get; init; }
    public required OrganizationIdentity From { get; init; }
    public string? FromEndpoint { get; init; }
    public required OrganizationIdentity To { get; init; }
    public string? ToEndpoint { get; init; }
    public required string CitizenCpr { get; init; }
    public required string EpisodeId { get; init; }
    public required RequestIdentifier AnsweredRequest { get; init; }
    public required EpisodeStatus Status { get; init; }
    public DateOnly? PlannedStart { get; init; }
    public DateOnly? StartedOn { get; init; }
    public DateOnly? EndedOn { get; init; }
    public EpisodeOutcome? Outcome { get; init; }
    public string? CancelReason { get; init; }
    public required MunicipalUnit ResponsibleUnit { get; init; }
}

public sealed record EpisodeStatusResult(ReceivedEpisodeStatus? Message, IReadOnlyList<MedComIssue> Errors)
{
    public bool Succeeded => Message is not null && Errors.Count == 0;
}

/// <summary>Reads an episode-status message from FHIR JSON. The status comes from the message's own Provenance.activity
/// (as MedCom decides a HospitalNotification's event). Errors are MedCom issues with element paths; their texts never quote
/// values from the message. Thread-safe.</summary>
public interface IEpisodeStatusReader
{
    EpisodeStatusResult Read(string fhirJson);
}

/// <summary>What an admission report says and who sends it to whom.</summary>
public sealed record AdmissionReportRequest
{
    /// <summary>The municipality (sender): SOR and EAN.</summary>
    public required OrganizationIdentity From { get; init; }
    public required string FromEndpoint { get; init; }
    /// <summary>The hospital that asked for the report (the notification's reportOfAdmissionRecipient, else its sender).</summary>
    public required OrganizationIdentity To { get; init; }
    public required string ToEndpoint { get; init; }
    /// <summary>Never log it.</summary>
    public required string CitizenCpr { get; init; }
    /// <summary>MessageHeader.id of the HospitalNotification (STIN or STAA) that asked for the report.</summary>
    public required string AnsweredNotificationMessageHeaderId { get; init; }
    /// <summary>The hospital's identifier of the stay, as <see cref="HospitalNotification.StayIdentifier"/> gives it.</summary>
    public required string StayIdentifier { get; init; }
    /// <summary>The help the citizen receives at home; at least one.</summary>
    public required IReadOnlyList<MunicipalService> Services { get; init; }
    /// <summary>Whom the hospital calls: a unit with a phone number, optionally a contact person.</summary>
    public required MunicipalUnit Contact { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>An admission report ready to send through the ACK ledger.</summary>
public sealed record BuiltAdmissionReport(string BundleId, string MessageHeaderId, string FhirJson);

public interface IAdmissionReportFactory
{
    /// <exception cref="ArgumentException">The request has no services, no contact phone, or misses an identifier.</exception>
    BuiltAdmissionReport Create(AdmissionReportRequest request);
}

/// <summary>An admission report read back into plain values.</summary>
public sealed record ReceivedAdmissionReport
{
    public required string MessageHeaderId { get; init; }
    public required DateTimeOffset SentAt { get; init; }
    public required OrganizationIdentity From { get; init; }
    public string? FromEndpoint { get; init; }
    public required OrganizationIdentity To { get; init; }
    public string? ToEndpoint { get; init; }
    public required string CitizenCpr { get; init; }
    public required string AnsweredNotificationMessageHeaderId { get; init; }
    public required string StayIdentifier { get; init; }
    public required IReadOnlyList<MunicipalService> Services { get; init; }
    public required MunicipalUnit Contact { get; init; }
}

public sealed record AdmissionReportResult(ReceivedAdmissionReport? Message, IReadOnlyList<MedComIssue> Errors)
{
    public bool Succeeded => Message is not null && Errors.Count == 0;
}

/// <summary>Reads an admission report from FHIR JSON. Errors are MedCom issues with element paths; their texts never quote
/// values from the message. Thread-safe.</summary>
public interface IAdmissionReportReader
{
    AdmissionReportResult Read(string fhirJson);
}

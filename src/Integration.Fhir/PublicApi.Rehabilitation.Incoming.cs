namespace Integration.Fhir;

// ---- The hub's own incoming rehabilitation messages (contracts/profiles/training-plan.md, referral.md) ----
// MedCom has no FHIR training plan or referral yet: the hub defines them on MedCom's envelope, with its own code systems
// under http://rehab-hub.dk/fhir/CodeSystem/. Plain values only: no Firely type crosses this surface.

/// <summary>What a training plan or referral message does to the plan or referral it carries, from the activity of the
/// message's own Provenance: MedCom's RE_/AN_ rules applied to the plan or referral identifier.</summary>
public enum RehabilitationRequestAction
{
    /// <summary><c>new-training-plan</c> / <c>new-referral</c>.</summary>
    New,
    /// <summary><c>revise-…</c> (RE_): replaces the latest plan or referral with the same identifier.</summary>
    Revise,
    /// <summary><c>cancel-…</c> (AN_): marks the latest plan or referral with the same identifier entered-in-error.</summary>
    Cancel,
}

/// <summary>The level of a training plan (ServiceRequest.category), as the hospital decides it.</summary>
public enum TrainingPlanLevel
{
    /// <summary><c>almen-basal</c>: general rehabilitation at basic level, municipal.</summary>
    GeneralBasic,
    /// <summary><c>almen-avanceret</c>: general rehabilitation at advanced level, municipal.</summary>
    GeneralAdvanced,
    /// <summary><c>specialiseret</c>: specialised rehabilitation, ambulant at the hospital.</summary>
    Specialised,
    /// <summary><c>rehabilitering-specialiseret</c>: rehabilitation at specialised level (rehabilitering på specialiseret niveau).</summary>
    SpecialisedRehabilitation,
}

/// <summary>What a referral asks the municipality for (ServiceRequest.category).</summary>
public enum ReferralProgramme
{
    /// <summary><c>diabetes</c>: chronic-disease programme (forløbsprogram) for diabetes.</summary>
    Diabetes,
    /// <summary><c>copd</c>: chronic-disease programme for COPD (KOL).</summary>
    Copd,
    /// <summary><c>heart</c>: chronic-disease programme for heart disease.</summary>
    Heart,
    /// <summary><c>musculoskeletal</c>: chronic-disease programme for musculoskeletal disease.</summary>
    Musculoskeletal,
    /// <summary><c>free-physiotherapy</c>: vederlagsfri fysioterapi.</summary>
    FreePhysiotherapy,
    /// <summary><c>home-nursing</c>: hjemmesygepleje (Sundhedsloven §138).</summary>
    HomeNursing,
    /// <summary><c>rehabilitation</c>: rehabilitation (e.g. Serviceloven §83a, §86).</summary>
    Rehabilitation,
}

/// <summary>Why a plan or referral has the status it has (the status-reason extension; R4's ServiceRequest has no
/// statusReason element).</summary>
public enum RehabilitationStatusReason
{
    /// <summary><c>postponed-start</c>: the start is postponed beyond the usual deadline; the text says why.</summary>
    PostponedStart,
    /// <summary><c>transferred-municipality</c>: moved to another municipality at the citizen's request.</summary>
    TransferredToOtherMunicipality,
    /// <summary><c>free-choice-taken</c>: the citizen chose another provider (frit valg).</summary>
    FreeChoiceTaken,
    /// <summary><c>free-choice-declined</c>: the citizen was offered free choice and declined it.</summary>
    FreeChoiceDeclined,
    /// <summary><c>sent-in-error</c>: the plan or referral was sent in error (goes with a cancellation).</summary>
    SentInError,
}

/// <summary>A diagnosis (the focus condition of a plan, the reason of a referral): SKS (<c>urn:oid:1.2.208.176.2.4</c>) or
/// ICD-10 (<c>http://hl7.org/fhir/sid/icd-10</c>) code and its display text.</summary>
public sealed record DiagnosisCode(string System, string Code, string Display);

/// <summary>One of the citizen's goals as the hospital wrote it down (a Goal resource), with the date it should be met by.</summary>
public sealed record CitizenGoal(string Description, DateOnly? DueDate);

/// <summary>A training plan (genoptræningsplan, hospital → municipality) read into plain values.</summary>
public sealed record TrainingPlan
{
    public required string MessageHeaderId { get; init; }
    public required RehabilitationRequestAction Action { get; init; }
    /// <summary>ServiceRequest.identifier.value: the plan. A revision or cancellation carries the identifier of the plan it
    /// replaces or cancels (and names it in its Provenance).</summary>
    public required string PlanIdentifier { get; init; }
    /// <summary>ServiceRequest.identifier.system, when given (e.g. <c>urn:ietf:rfc:3986</c> for a <c>urn:uuid:</c> value).</summary>
    public string? PlanIdentifierSystem { get; init; }
    /// <summary>For a revision or cancellation: the MessageHeader.id of the message it revises, when its Provenance names it.</summary>
    public string? PreviousMessageHeaderId { get; init; }
    /// <summary>Provenance.occurredDateTime of the message's own Provenance: when it was sent (the same across resends).</summary>
    public required DateTimeOffset SentAt { get; init; }
    /// <summary>ServiceRequest.authoredOn: when the hospital wrote the plan.</summary>
    public required DateTimeOffset AuthoredOn { get; init; }
    public required TrainingPlanLevel Level { get; init; }
    public required DateOnly DischargeDate { get; init; }
    /// <summary>ServiceRequest.occurrencePeriod.start: the first contact offered to the citizen, when known.</summary>
    public DateTimeOffset? FirstContactOffered { get; init; }
    /// <summary>ServiceRequest.reasonCode: the condition the training is for.</summary>
    public required DiagnosisCode FocusCondition { get; init; }
    /// <summary>The hospital's assessment of the citizen's function (ICF / Fælles Sprog III), from ServiceRequest.note.</summary>
    public required string FunctionAssessment { get; init; }
    public IReadOnlyList<CitizenGoal> Goals { get; init; } = [];
    /// <summary>ServiceRequest.requester: the hospital (department) responsible for the plan.</summary>
    public required OrganizationIdentity Requester { get; init; }
    /// <summary>The Patient's CPR number. Never log it.</summary>
    public required string CitizenCpr { get; init; }
    /// <summary>The kommunekode of the citizen's address (DK core municipalityCode extension), when the sender gives it.</summary>
    public string? ResidenceMunicipalityCode { get; init; }
    /// <summary>The SOR code of the citizen's GP clinic (DK core Patient.generalPractitioner), when the sender gives it:
    /// the GP is told the episode's status too.</summary>
    public string? GeneralPractitionerSor { get; init; }
    public RehabilitationStatusReason? StatusReason { get; init; }
    /// <summary>The status reason's text (e.g. why the start is postponed), when given.</summary>
    public string? StatusReasonText { get; init; }
}

public sealed record TrainingPlanResult(TrainingPlan? Plan, IReadOnlyList<MedComIssue> Errors)
{
    public bool Succeeded => Plan is not null && Errors.Count == 0;
}

/// <summary>Reads a training-plan message from FHIR JSON. A message that breaks the hub's built-in rules gives their
/// issues (rule, element path, MedCom issue code), ready for a fatal-error acknowledgement; texts never quote values
/// from the message. Thread-safe.</summary>
public interface ITrainingPlanReader
{
    TrainingPlanResult Read(string fhirJson);
}

/// <summary>A referral (henvisning, GP or hospital → municipality) read into plain values.</summary>
public sealed record Referral
{
    public required string MessageHeaderId { get; init; }
    public required RehabilitationRequestAction Action { get; init; }
    /// <summary>ServiceRequest.identifier.value: the referral; kept by its revisions and cancellation.</summary>
    public required string ReferralIdentifier { get; init; }
    public string? ReferralIdentifierSystem { get; init; }
    /// <summary>For a revision or cancellation: the MessageHeader.id of the message it revises, when its Provenance names it.</summary>
    public string? PreviousMessageHeaderId { get; init; }
    public required DateTimeOffset SentAt { get; init; }
    public required DateTimeOffset AuthoredOn { get; init; }
    public required ReferralProgramme Programme { get; init; }
    /// <summary>ServiceRequest.reasonCode: the diagnosis the citizen is referred for.</summary>
    public required DiagnosisCode Reason { get; init; }
    /// <summary>ServiceRequest.note: the referrer's text, when given.</summary>
    public string? Note { get; init; }
    /// <summary>ServiceRequest.requester: the GP practice (or hospital) that refers.</summary>
    public required OrganizationIdentity Requester { get; init; }
    /// <summary>The Patient's CPR number. Never log it.</summary>
    public required string CitizenCpr { get; init; }
    /// <summary>The kommunekode of the citizen's address (DK core municipalityCode extension), when the sender gives it.</summary>
    public string? ResidenceMunicipalityCode { get; init; }
    /// <summary>The SOR code of the citizen's GP clinic (DK core Patient.generalPractitioner), when the sender gives it:
    /// the GP is told the episode's status too.</summary>
    public string? GeneralPractitionerSor { get; init; }
    public RehabilitationStatusReason? StatusReason { get; init; }
    public string? StatusReasonText { get; init; }
}

public sealed record ReferralResult(Referral? Referral, IReadOnlyList<MedComIssue> Errors)
{
    public bool Succeeded => Referral is not null && Errors.Count == 0;
}

/// <summary>Reads a referral message from FHIR JSON; errors as for <see cref="ITrainingPlanReader"/>. Thread-safe.</summary>
public interface IReferralReader
{
    ReferralResult Read(string fhirJson);
}

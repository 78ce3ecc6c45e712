using System.Collections.Frozen;
using Hl7.Fhir.Model;

namespace Integration.Fhir.Rehabilitation.Outgoing;

/// <summary>Code systems, extensions, profiles and code tables of the episode-status message and the admission report, as
/// contracts/profiles defines them. One table per enum, used by the factories, the readers and the validation rules alike.</summary>
internal static class OutgoingCodes
{
    private const string Base = "http://rehab-hub.dk/fhir/";

    /// <summary>fullUrl base of the entries: <c>{base}{type}/{id}</c>, so that <c>Type/id</c> references resolve (FHIR's rule).</summary>
    public const string FullUrlBase = Base;

    public const string OutcomeSystem = Base + "CodeSystem/rehab-episode-outcome";
    public const string LegalBasisSystem = Base + "CodeSystem/rehab-legal-basis";

    public const string OutcomeExtension = Base + "StructureDefinition/rehab-episode-outcome";
    public const string CancelReasonExtension = Base + "StructureDefinition/rehab-episode-cancel-reason";
    public const string LegalBasisExtension = Base + "StructureDefinition/rehab-legal-basis";

    public const string EpisodeStatusMessageProfile = Base + "StructureDefinition/rehab-episodeStatus-message";
    public const string EpisodeStatusHeaderProfile = Base + "StructureDefinition/rehab-episodeStatus-messageHeader";
    public const string EpisodeOfCareProfile = Base + "StructureDefinition/rehab-episodeStatus-episodeOfCare";
    public const string AdmissionReportMessageProfile = Base + "StructureDefinition/rehab-admissionReport-message";
    public const string AdmissionReportHeaderProfile = Base + "StructureDefinition/rehab-admissionReport-messageHeader";
    public const string CarePlanProfile = Base + "StructureDefinition/rehab-admissionReport-carePlan";
    public const string ProvenanceProfile = Base + "StructureDefinition/rehab-messaging-provenance";
    public const string PatientProfile = Base + "StructureDefinition/rehab-messaging-patient";

    public const string AdmissionReportActivity = "admission-report";

    /// <summary>Identifiers issued under a SOR code, as MedCom writes a hospital's stay identifier.</summary>
    public static string SorScopedSystem(string sor) => $"{Messaging.MedComUrls.SorEpisodeOfCareSystemPrefix}/#id={sor}";

    /// <summary>Status ↔ Provenance.activity ↔ EpisodeOfCare.status.</summary>
    public static IReadOnlyList<(EpisodeStatus Status, string Activity, EpisodeOfCare.EpisodeOfCareStatus EpisodeOfCareStatus)> Statuses { get; } =
    [
        (EpisodeStatus.Received, "episode-received", EpisodeOfCare.EpisodeOfCareStatus.Waitlist),
        (EpisodeStatus.StartPlanned, "episode-start-planned", EpisodeOfCare.EpisodeOfCareStatus.Planned),
        (EpisodeStatus.Started, "episode-started", EpisodeOfCare.EpisodeOfCareStatus.Active),
        (EpisodeStatus.Completed, "episode-completed", EpisodeOfCare.EpisodeOfCareStatus.Finished),
        (EpisodeStatus.Cancelled, "episode-cancelled", EpisodeOfCare.EpisodeOfCareStatus.Cancelled),
    ];

    public static IReadOnlyList<(EpisodeOutcome Outcome, string Code, string Display)> Outcomes { get; } =
    [
        (EpisodeOutcome.SelfReliant, "self-reliant", "Self-reliant"),
        (EpisodeOutcome.ReducedHelp, "reduced-help", "Reduced help"),
        (EpisodeOutcome.MaintenanceTraining, "maintenance-training", "Maintenance training"),
        (EpisodeOutcome.NewEpisode, "new-episode", "A new episode"),
        (EpisodeOutcome.MovedToCareHome, "moved-to-care-home", "Moved to a care home"),
        (EpisodeOutcome.Died, "died", "Died"),
    ];

    public static IReadOnlyList<(ServiceLegalBasis Basis, string Code, string Display)> LegalBases { get; } =
    [
        (ServiceLegalBasis.Serviceloven83, "serviceloven-83", "Serviceloven § 83"),
        (ServiceLegalBasis.Serviceloven83a, "serviceloven-83a", "Serviceloven § 83 a"),
        (ServiceLegalBasis.Serviceloven85, "serviceloven-85", "Serviceloven § 85"),
        (ServiceLegalBasis.Serviceloven86, "serviceloven-86", "Serviceloven § 86"),
        (ServiceLegalBasis.Sundhedsloven138, "sundhedsloven-138", "Sundhedsloven § 138"),
        (ServiceLegalBasis.Sundhedsloven140, "sundhedsloven-140", "Sundhedsloven § 140"),
    ];

    public static FrozenSet<string> OutcomeCodes { get; } = Outcomes.Select(o => o.Code).ToFrozenSet(StringComparer.Ordinal);

    public static FrozenSet<string> LegalBasisCodes { get; } = LegalBases.Select(b => b.Code).ToFrozenSet(StringComparer.Ordinal);

    public static string ActivityOf(EpisodeStatus status) => Statuses.Single(s => s.Status == status).Activity;

    public static EpisodeOfCare.EpisodeOfCareStatus EpisodeOfCareStatusOf(EpisodeStatus status) =>
        Statuses.Single(s => s.Status == status).EpisodeOfCareStatus;

    public static EpisodeStatus? StatusOfActivity(string? activity) =>
        Statuses.Where(s => s.Activity == activity).Select(s => (EpisodeStatus?)s.Status).FirstOrDefault();

    public static (string Code, string Display) CodeOf(EpisodeOutcome outcome) =>
        Outcomes.Where(o => o.Outcome == outcome).Select(o => (o.Code, o.Display)).Single();

    public static EpisodeOutcome? OutcomeOf(string? code) =>
        Outcomes.Where(o => o.Code == code).Select(o => (EpisodeOutcome?)o.Outcome).FirstOrDefault();

    public static (string Code, string Display) CodeOf(ServiceLegalBasis basis) =>
        LegalBases.Where(b => b.Basis == basis).Select(b => (b.Code, b.Display)).Single();

    public static ServiceLegalBasis? LegalBasisOf(string? code) =>
        LegalBases.Where(b => b.Code == code).Select(b => (ServiceLegalBasis?)b.Basis).FirstOrDefault();
}

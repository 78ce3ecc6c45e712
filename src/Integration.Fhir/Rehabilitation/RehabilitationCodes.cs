using System.Collections.Frozen;

namespace Integration.Fhir.Rehabilitation;

/// <summary>The hub's own code systems and extensions for training plans and referrals (contracts/profiles/README.md).
/// Event and activity codes are with MedCom's in <see cref="Validation.Rules.MedComCodeLists"/>, where the envelope
/// rules look for them.</summary>
internal static class RehabilitationCodes
{
    private const string Base = "http://rehab-hub.dk/fhir/";

    public const string LevelSystem = Base + "CodeSystem/rehab-training-plan-level";
    public const string ProgrammeSystem = Base + "CodeSystem/rehab-referral-programme";
    public const string StatusReasonSystem = Base + "CodeSystem/rehab-request-status-reason";

    /// <summary>On ServiceRequest, valueDate: the day the citizen was discharged.</summary>
    public const string DischargeDateExtension = Base + "StructureDefinition/rehab-discharge-date";

    /// <summary>On ServiceRequest, valueCodeableConcept from <see cref="StatusReasonSystem"/> (R4's ServiceRequest has no statusReason).</summary>
    public const string StatusReasonExtension = Base + "StructureDefinition/rehab-request-status-reason";

    /// <summary>SKS, Sundhedsvæsenets Klassifikations System (diagnoses: D + ICD-10).</summary>
    public const string SksSystem = "urn:oid:1.2.208.176.2.4";
    public const string Icd10System = "http://hl7.org/fhir/sid/icd-10";

    public static FrozenDictionary<string, TrainingPlanLevel> Levels { get; } = new Dictionary<string, TrainingPlanLevel>
    {
        ["almen-basal"] = TrainingPlanLevel.GeneralBasic,
        ["almen-avanceret"] = TrainingPlanLevel.GeneralAdvanced,
        ["specialiseret"] = TrainingPlanLevel.Specialised,
        ["rehabilitering-specialiseret"] = TrainingPlanLevel.SpecialisedRehabilitation,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static FrozenDictionary<string, ReferralProgramme> Programmes { get; } = new Dictionary<string, ReferralProgramme>
    {
        ["diabetes"] = ReferralProgramme.Diabetes,
        ["copd"] = ReferralProgramme.Copd,
        ["heart"] = ReferralProgramme.Heart,
        ["musculoskeletal"] = ReferralProgramme.Musculoskeletal,
        ["free-physiotherapy"] = ReferralProgramme.FreePhysiotherapy,
        ["home-nursing"] = ReferralProgramme.HomeNursing,
        ["rehabilitation"] = ReferralProgramme.Rehabilitation,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static FrozenDictionary<string, RehabilitationStatusReason> StatusReasons { get; } = new Dictionary<string, RehabilitationStatusReason>
    {
        ["postponed-start"] = RehabilitationStatusReason.PostponedStart,
        ["transferred-municipality"] = RehabilitationStatusReason.TransferredToOtherMunicipality,
        ["free-choice-taken"] = RehabilitationStatusReason.FreeChoiceTaken,
        ["free-choice-declined"] = RehabilitationStatusReason.FreeChoiceDeclined,
        ["sent-in-error"] = RehabilitationStatusReason.SentInError,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The action of an activity code of a training plan or referral; null for any other code.</summary>
    public static RehabilitationRequestAction? Action(string? activityCode) => activityCode switch
    {
        "new-training-plan" or "new-referral" => RehabilitationRequestAction.New,
        "revise-training-plan" or "revise-referral" => RehabilitationRequestAction.Revise,
        "cancel-training-plan" or "cancel-referral" => RehabilitationRequestAction.Cancel,
        _ => null,
    };

    public static bool IsDiagnosisSystem(string? system) => system is SksSystem or Icd10System;
}

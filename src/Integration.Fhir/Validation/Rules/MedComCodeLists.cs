using System.Collections.Frozen;

namespace Integration.Fhir.Validation.Rules;

/// <summary>The code lists the hub needs, copied from medcom.fhir.dk.terminology 2.0.2 so that the built-in rules work
/// without MedCom's packages. A test compares them with the package's CodeSystems and ValueSets.</summary>
internal static class MedComCodeLists
{
    public const string EventCodeSystem = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-eventCodes";
    public const string ActivityCodeSystem = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-activityCodes";
    public const string CategoryCodeSystem = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-careCommunication-categoryCodes";
    public const string DestinationUseSystem = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-messaging-destinationUse";
    public const string ActCodeSystem = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    public const string AcknowledgementErrorCodeSystem = "http://medcomfhir.dk/ig/terminology/CodeSystem/medcom-acknowledgement-error-codes";
    public const string OperationOutcomeCodeSystem = "http://terminology.hl7.org/CodeSystem/operation-outcome";

    public const string HospitalNotificationEvent = "hospital-notification-message";
    public const string CareCommunicationEvent = "care-communication-message";
    public const string AcknowledgementEvent = "acknowledgement-message";
    public const string AcknowledgementActivity = "acknowledgement";

    /// <summary>CodeSystem medcom-messaging-eventCodes (= ValueSet medcom-messaging-messageTypes).</summary>
    public static FrozenSet<string> EventCodes { get; } = Set(
        "empty-message", CareCommunicationEvent, HospitalNotificationEvent, AcknowledgementEvent, "homecareobservation-message");

    /// <summary>ValueSet medcom-hospitalNotification-messageActivities.</summary>
    public static FrozenSet<string> HospitalNotificationActivities { get; } = Set(
        "admit-emergency", "revise-admit-emergency", "cancel-admit-emergency",
        "admit-inpatient", "revise-admit-inpatient", "cancel-admit-inpatient",
        "start-leave-inpatient", "revise-start-leave-inpatient", "cancel-start-leave-inpatient",
        "end-leave-inpatient", "revise-end-leave-inpatient", "cancel-end-leave-inpatient",
        "discharge-emergency-home", "revise-discharge-emergency-home", "cancel-discharge-emergency-home",
        "discharge-inpatient-home", "revise-discharge-inpatient-home", "cancel-discharge-inpatient-home");

    /// <summary>ValueSet medcom-careCommunication-messagingActivities.</summary>
    public static FrozenSet<string> CareCommunicationActivities { get; } = Set("new-message", "reply-message", "forward-message");

    /// <summary>CodeSystem medcom-messaging-activityCodes (= ValueSet medcom-messaging-activityCodes).</summary>
    public static FrozenSet<string> ActivityCodes { get; } = Set(
        [.. HospitalNotificationActivities, .. CareCommunicationActivities,
            "retract-message", "modified-message", "carboncopy-message", AcknowledgementActivity]);

    /// <summary>CodeSystem medcom-careCommunication-categoryCodes 1.9.0 (= ValueSet medcom-careCommunication-categories).</summary>
    public static FrozenSet<string> CareCommunicationCategories { get; } = Set(
        "alcohol-and-drug-treatment", "assistive-devices", "carecoordination", "decease", "discharge",
        "examination-results", "healthcare", "home-care-assessment", "medicine", "nursing", "outpatient",
        "psychiatry-social-disability", "regarding-referral", "telemedicine", "training", "acute-ambulant",
        "extended-care-responsibility", "other");

    /// <summary>ValueSet medcom-hospitalNotification-encounterClass (system v3-ActCode).</summary>
    public static FrozenSet<string> EncounterClasses { get; } = Set("IMP", "EMER");

    /// <summary>ValueSet medcom-hospitalNotification-encounterStatus.</summary>
    public static FrozenSet<string> EncounterStatuses { get; } = Set("in-progress", "onleave", "finished", "entered-in-error");

    /// <summary>ValueSet medcom-acknowledgement-issue-details, HL7 operation-outcome part.</summary>
    public static FrozenSet<string> AcknowledgementHl7IssueCodes { get; } = Set(
        "MSG_ID_INVALID", "MSG_ID_TOO_LONG", "MSG_BAD_FORMAT", "MSG_BAD_SYNTAX", "MSG_DATE_FORMAT", "MSG_DUPLICATE_ID",
        "MSG_INVALID_ID", "MSG_JSON_OBJECT", "MSG_LOCAL_FAIL", "MSG_NO_MATCH", "MSG_NO_EXIST", "MSG_NO_SUMMARY",
        "MSG_PARAM_INVALID", "MSG_PARAM_NO_REPEAT", "MSG_PARAM_UNKNOWN", "MSG_RESOURCE_ID_MISMATCH",
        "MSG_RESOURCE_ID_FAIL", "MSG_RESOURCE_ID_MISSING", "MSG_RESOURCE_NOT_ALLOWED", "MSG_RESOURCE_REQUIRED",
        "MSG_RESOURCE_TYPE_MISMATCH", "MSG_TRANSACTION_DUPLICATE_ID", "MSG_TRANSACTION_MISSING_ID", "MSG_UNKNOWN_TYPE",
        "MSG_VERSION_AWARE", "MSG_VERSION_AWARE_CONFLICT", "MSG_VERSION_AWARE_URL", "MSG_WRONG_NS");

    // ---- The hub's own message types (contracts/profiles): MedCom's envelope, the hub's own event and activity codes. ----
    public const string HubEventCodeSystem = "http://rehab-hub.dk/fhir/CodeSystem/rehab-messaging-eventCodes";
    public const string HubActivityCodeSystem = "http://rehab-hub.dk/fhir/CodeSystem/rehab-messaging-activityCodes";
    public const string EpisodeStatusEvent = "episode-status-message";
    public const string AdmissionReportEvent = "admission-report-message";
    public const string TrainingPlanEvent = "training-plan-message";
    public const string ReferralEvent = "referral-message";

    /// <summary>CodeSystem rehab-messaging-eventCodes: the message types the hub defines itself.</summary>
    public static FrozenSet<string> HubEventCodes { get; } = Set(EpisodeStatusEvent, AdmissionReportEvent, TrainingPlanEvent, ReferralEvent);

    /// <summary>Provenance.activity of an episode-status message: the status it reports (contracts/profiles/episode-status.md).</summary>
    public static FrozenSet<string> EpisodeStatusActivities { get; } = Set(
        "episode-received", "episode-start-planned", "episode-started", "episode-completed", "episode-cancelled");

    /// <summary>Provenance.activity of an admission report (contracts/profiles/admission-report.md).</summary>
    public static FrozenSet<string> AdmissionReportActivities { get; } = Set("admission-report");

    /// <summary>Provenance.activity of a training plan (contracts/profiles/training-plan.md): new, revise (RE_), cancel (AN_).</summary>
    public static FrozenSet<string> TrainingPlanActivities { get; } = Set("new-training-plan", "revise-training-plan", "cancel-training-plan");

    /// <summary>Provenance.activity of a referral (contracts/profiles/referral.md): new, revise (RE_), cancel (AN_).</summary>
    public static FrozenSet<string> ReferralActivities { get; } = Set("new-referral", "revise-referral", "cancel-referral");

    /// <summary>CodeSystem rehab-messaging-activityCodes: every activity of the hub's own message types.</summary>
    public static FrozenSet<string> HubActivityCodes { get; } = Set([.. EpisodeStatusActivities, .. AdmissionReportActivities, .. TrainingPlanActivities, .. ReferralActivities]);

    public static bool IsEventCodeSystem(string? system) => system is EventCodeSystem or HubEventCodeSystem;

    /// <summary>The event codes of <paramref name="system"/> (MedCom's or the hub's).</summary>
    public static FrozenSet<string> EventCodesOf(string? system) => system == HubEventCodeSystem ? HubEventCodes : EventCodes;

    private static FrozenSet<string> Set(params string[] codes) => codes.ToFrozenSet(StringComparer.Ordinal);
}

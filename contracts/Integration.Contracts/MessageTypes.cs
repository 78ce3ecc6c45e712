namespace Integration.Contracts;

/// <summary>MessageHeader.eventCoding codes (medcom-messaging-eventCodes) the hub knows.</summary>
public static class MessageTypes
{
    public const string HospitalNotification = "hospital-notification-message";
    public const string CareCommunication = "care-communication-message";
    public const string Acknowledgement = "acknowledgement-message";

    // The hub's own message types (contracts/profiles), in CodeSystem http://rehab-hub.dk/fhir/CodeSystem/rehab-messaging-eventCodes.
    public const string TrainingPlan = "training-plan-message";
    public const string Referral = "referral-message";
    public const string EpisodeStatus = "episode-status-message";
    public const string AdmissionReport = "admission-report-message";
}

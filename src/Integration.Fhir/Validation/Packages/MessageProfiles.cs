namespace Integration.Fhir.Validation.Packages;

/// <summary>Which resources of a message a profile's rules apply to.</summary>
internal enum ProfileTarget
{
    Bundle,
    MessageHeader,
    /// <summary>MessageHeader.sender and every destination.receiver (medcom-messaging-organization).</summary>
    MessagingOrganizations,
    /// <summary>Every entry resource of <see cref="ProfileUse.ResourceType"/>.</summary>
    ResourcesOfType,
}

/// <summary>A profile from a package, applied to some resources of a message.</summary>
internal sealed record ProfileUse(string Package, string Version, string ProfileId, ProfileTarget Target, string? ResourceType = null)
{
    public string PackageId => $"{Package}#{Version}";
}

/// <summary>The profiles each message type is checked against, at the versions the hub supports: HospitalNotification
/// 3.0.2 on messaging 2.1.0 / core 2.0.0, CareCommunication 5.0.2 on messaging 4.0.2 / core 3.0.1 (4.0.3 on core 2.4.0;
/// its messaging 2.2.2 is not published with it), Acknowledgement 2.0.3 on messaging 2.1.0. Other types get messaging
/// 4.0.2's envelope profiles. Profiles are picked by message type, not by meta.profile: a sender's claim is not trusted.</summary>
internal static class MessageProfiles
{
    private const string Messaging = "medcom.fhir.dk.messaging";
    private const string Core = "medcom.fhir.dk.core";
    private const string HospitalNotification = "medcom.fhir.dk.hospitalnotification";
    private const string CareCommunication = "medcom.fhir.dk.carecommunication";
    private const string Acknowledgement = "medcom.fhir.dk.acknowledgement";

    public const string Terminology = "medcom.fhir.dk.terminology";

    /// <summary>The hub's own message types keep MedCom's envelope and organisations; MedCom's MessageHeader and Provenance
    /// profiles would bind their event and activity to MedCom's codes, so they are left out (the built-in rules check ours).</summary>
    private static readonly IReadOnlyList<ProfileUse> OwnMessageType =
    [
        new(Messaging, "4.0.2", "medcom-messaging-message", ProfileTarget.Bundle),
        new(Messaging, "4.0.2", "medcom-messaging-organization", ProfileTarget.MessagingOrganizations),
    ];

    public static IReadOnlyDictionary<MessageKind, IReadOnlyList<ProfileUse>> Uses { get; } = new Dictionary<MessageKind, IReadOnlyList<ProfileUse>>
    {
        [MessageKind.HospitalNotification] =
        [
            new(HospitalNotification, "3.0.2", "medcom-hospitalNotification-message", ProfileTarget.Bundle),
            new(HospitalNotification, "3.0.2", "medcom-hospitalNotification-messageHeader", ProfileTarget.MessageHeader),
            new(HospitalNotification, "3.0.2", "medcom-hospitalNotification-encounter", ProfileTarget.ResourcesOfType, "Encounter"),
            new(Messaging, "2.1.0", "medcom-messaging-provenance", ProfileTarget.ResourcesOfType, "Provenance"),
            new(Messaging, "2.1.0", "medcom-messaging-organization", ProfileTarget.MessagingOrganizations),
            new(Core, "2.0.0", "medcom-core-patient", ProfileTarget.ResourcesOfType, "Patient"),
        ],
        [MessageKind.CareCommunication] =
        [
            new(CareCommunication, "5.0.2", "medcom-careCommunication-message", ProfileTarget.Bundle),
            new(CareCommunication, "5.0.2", "medcom-careCommunication-messageHeader", ProfileTarget.MessageHeader),
            new(CareCommunication, "5.0.2", "medcom-careCommunication-communication", ProfileTarget.ResourcesOfType, "Communication"),
            new(CareCommunication, "5.0.2", "medcom-careCommunication-provenance", ProfileTarget.ResourcesOfType, "Provenance"),
            new(Messaging, "4.0.2", "medcom-messaging-organization", ProfileTarget.MessagingOrganizations),
            new(Core, "3.0.1", "medcom-core-patient", ProfileTarget.ResourcesOfType, "Patient"),
            new(Core, "3.0.1", "medcom-core-practitioner", ProfileTarget.ResourcesOfType, "Practitioner"),
            new(Core, "3.0.1", "medcom-core-practitionerrole", ProfileTarget.ResourcesOfType, "PractitionerRole"),
            new(Core, "3.0.1", "medcom-core-encounter", ProfileTarget.ResourcesOfType, "Encounter"),
        ],
        [MessageKind.CareCommunication4] =
        [
            new(CareCommunication, "4.0.3", "medcom-careCommunication-message", ProfileTarget.Bundle),
            new(CareCommunication, "4.0.3", "medcom-careCommunication-messageHeader", ProfileTarget.MessageHeader),
            new(CareCommunication, "4.0.3", "medcom-careCommunication-communication", ProfileTarget.ResourcesOfType, "Communication"),
            new(CareCommunication, "4.0.3", "medcom-careCommunication-provenance", ProfileTarget.ResourcesOfType, "Provenance"),
            new(Core, "2.4.0", "medcom-core-patient", ProfileTarget.ResourcesOfType, "Patient"),
        ],
        [MessageKind.Acknowledgement] =
        [
            new(Acknowledgement, "2.0.3", "medcom-messaging-acknowledgement", ProfileTarget.Bundle),
            new(Acknowledgement, "2.0.3", "medcom-messaging-acknowledgementHeader", ProfileTarget.MessageHeader),
            new(Acknowledgement, "2.0.3", "medcom-acknowledgement-operationoutcome", ProfileTarget.ResourcesOfType, "OperationOutcome"),
            new(Messaging, "2.1.0", "medcom-messaging-provenance", ProfileTarget.ResourcesOfType, "Provenance"),
            new(Messaging, "2.1.0", "medcom-messaging-organization", ProfileTarget.MessagingOrganizations),
        ],
        [MessageKind.EpisodeStatus] = OwnMessageType,
        [MessageKind.AdmissionReport] = OwnMessageType,
        [MessageKind.TrainingPlan] = OwnMessageType,
        [MessageKind.Referral] = OwnMessageType,
        [MessageKind.Other] =
        [
            new(Messaging, "4.0.2", "medcom-messaging-message", ProfileTarget.Bundle),
            new(Messaging, "4.0.2", "medcom-messaging-messageHeader", ProfileTarget.MessageHeader),
            new(Messaging, "4.0.2", "medcom-messaging-provenance", ProfileTarget.ResourcesOfType, "Provenance"),
            new(Messaging, "4.0.2", "medcom-messaging-organization", ProfileTarget.MessagingOrganizations),
        ],
    };

    /// <summary>The message type as the description names it.</summary>
    public static string Name(MessageKind kind) => kind switch
    {
        MessageKind.HospitalNotification => "hospital-notification-message",
        MessageKind.CareCommunication => "care-communication-message",
        MessageKind.CareCommunication4 => "care-communication-message (4.0.3)",
        MessageKind.Acknowledgement => "acknowledgement-message",
        MessageKind.EpisodeStatus => "episode-status-message",
        MessageKind.AdmissionReport => "admission-report-message",
        MessageKind.TrainingPlan => "training-plan-message",
        MessageKind.Referral => "referral-message",
        _ => "*",
    };
}

namespace Integration.Contracts;

/// <summary>MessageHeader.eventCoding codes (medcom-messaging-eventCodes) the hub knows.</summary>
public static class MessageTypes
{
    public const string HospitalNotification = "hospital-notification-message";
    public const string CareCommunication = "care-communication-message";
    public const string Acknowledgement = "acknowledgement-message";
}

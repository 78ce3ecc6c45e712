namespace Integration.Routing;

/// <summary>MessageHeader.eventCoding codes (medcom-messaging-eventCodes) the hub routes.</summary>
public static class MessageTypes
{
    public const string HospitalNotification = "hospital-notification-message";
    public const string Acknowledgement = "acknowledgement-message";
}

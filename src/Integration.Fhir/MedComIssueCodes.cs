namespace Integration.Fhir;

/// <summary>The codes of MedCom's CodeSystem <c>medcom-acknowledgement-error-codes</c> (terminology 2.0.2), for
/// <see cref="MedComIssue.Code"/>. Codes from HL7's operation-outcome CodeSystem (e.g. <c>MSG_BAD_SYNTAX</c>) are
/// also accepted by MedCom's issue-details ValueSet and may be used as they are.</summary>
public static class MedComIssueCodes
{
    public const string ReceiverIdentifierUnknown = "MSG_Receiver_Identifier_UNKNOWN";
    public const string ReceiverIdentifierMissing = "MSG_Receiver_Identifier_MISSING";
    public const string ReceiverUnableToReceiveMessageType = "MSG_RECEIVER_UNABLE_TO_RECEIVE_MSG_TYPE";
    public const string ValueSetValueUnknown = "MSG_VALUESET_VALUE_UNKNOWN";
    public const string CodeSystemValueUnknown = "MSG_CodeSystem_VALUE_UNKNOWN";
    public const string ElementTooLong = "MSG_Element_To_Long";
    public const string DatatypeWrong = "MSG_Datatype_Wrong";
    public const string MailboxOutOfOperation = "MSG_Mailbox_Out_Of_Operation";
    public const string DamagedDuringTransport = "MSG_Damaged_durin_transport";

    /// <summary>True for the codes defined by MedCom's own CodeSystem (spelling as published, case-sensitive).</summary>
    public static bool IsMedComCode(string code) => code is ReceiverIdentifierUnknown or ReceiverIdentifierMissing
        or ReceiverUnableToReceiveMessageType or ValueSetValueUnknown or CodeSystemValueUnknown or ElementTooLong
        or DatatypeWrong or MailboxOutOfOperation or DamagedDuringTransport;
}

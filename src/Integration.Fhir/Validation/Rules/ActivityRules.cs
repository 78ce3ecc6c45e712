using System.Collections.Frozen;
using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;

namespace Integration.Fhir.Validation.Rules;

/// <summary>Provenance.activity: a code of medcom-messaging-activityCodes, from the ValueSet of the message type.</summary>
internal static class ActivityRules
{
    public static void Check(MessageKind kind, Provenance provenance, string provenancePath, bool isOwn, IssueList issues)
    {
        var path = provenancePath + ".activity";
        var codings = provenance.Activity?.Coding ?? [];
        if (codings.Count == 0)
        {
            issues.Error(HubRules.ActivityCode, "MSG_BAD_FORMAT", path, "Provenance.activity has no coding.");
            return;
        }

        var index = codings.FindIndex(c => string.Equals(c.System, MedComCodeLists.ActivityCodeSystem, StringComparison.Ordinal));
        if (index < 0)
        {
            issues.Error(HubRules.ActivityCode, path + ".coding[0].system",
                "Provenance.activity is not coded in MedCom's activity code system (medcom-messaging-activityCodes).");
            return;
        }

        var code = codings[index].Code;
        var codePath = MessageBundle.Invariant($"{path}.coding[{index}].code");
        if (code is null || !MedComCodeLists.ActivityCodes.Contains(code))
        {
            issues.Error(HubRules.ActivityCode, codePath, "Provenance.activity is not a code of MedCom's activity code system.");
            return;
        }

        if (Allowed(kind, isOwn) is { } allowed && !allowed.Contains(code))
        {
            issues.Error(HubRules.ActivityCode, MedComIssueCodes.ValueSetValueUnknown, codePath,
                $"This activity is not allowed in a {Describe(kind)} ({AllowedName(kind)}).");
        }
    }

    /// <summary>HospitalNotification and CareCommunication bind every Provenance (medcom-hospitalNotification-3,
    /// medcom-careCommunication-3); an Acknowledgement's own Provenance says acknowledgement, while the Provenance of the
    /// acknowledged message keeps that message's activity.</summary>
    private static FrozenSet<string>? Allowed(MessageKind kind, bool isOwn) => kind switch
    {
        MessageKind.HospitalNotification => MedComCodeLists.HospitalNotificationActivities,
        MessageKind.CareCommunication or MessageKind.CareCommunication4 => MedComCodeLists.CareCommunicationActivities,
        MessageKind.Acknowledgement when isOwn => AcknowledgementOnly,
        _ => null,
    };

    private static readonly FrozenSet<string> AcknowledgementOnly =
        new[] { MedComCodeLists.AcknowledgementActivity }.ToFrozenSet(StringComparer.Ordinal);

    private static string Describe(MessageKind kind) => kind switch
    {
        MessageKind.HospitalNotification => "HospitalNotification",
        MessageKind.Acknowledgement => "Acknowledgement's own Provenance",
        _ => "CareCommunication",
    };

    private static string AllowedName(MessageKind kind) => kind switch
    {
        MessageKind.HospitalNotification => "ValueSet medcom-hospitalNotification-messageActivities",
        MessageKind.Acknowledgement => "it must be acknowledgement",
        _ => "ValueSet medcom-careCommunication-messagingActivities",
    };
}

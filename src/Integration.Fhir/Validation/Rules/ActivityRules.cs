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

        var (system, systemCodes) = ActivityCodeSystem(kind);
        var index = codings.FindIndex(c => string.Equals(c.System, system, StringComparison.Ordinal));
        if (index < 0)
        {
            issues.Error(HubRules.ActivityCode, path + ".coding[0].system",
                $"Provenance.activity is not coded in the activity code system of this message type ({system}).");
            return;
        }

        var code = codings[index].Code;
        var codePath = MessageBundle.Invariant($"{path}.coding[{index}].code");
        if (code is null || !systemCodes.Contains(code))
        {
            issues.Error(HubRules.ActivityCode, codePath, "Provenance.activity is not a code of its activity code system.");
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
        MessageKind.EpisodeStatus => MedComCodeLists.EpisodeStatusActivities,
        MessageKind.AdmissionReport => MedComCodeLists.AdmissionReportActivities,
        MessageKind.TrainingPlan => MedComCodeLists.TrainingPlanActivities,
        MessageKind.Referral => MedComCodeLists.ReferralActivities,
        _ => null,
    };

    /// <summary>The hub's own message types code their activities in the hub's activity code system; all others in MedCom's.</summary>
    private static (string System, FrozenSet<string> Codes) ActivityCodeSystem(MessageKind kind) => kind switch
    {
        MessageKind.EpisodeStatus or MessageKind.AdmissionReport => (MedComCodeLists.HubActivityCodeSystem, MedComCodeLists.HubActivityCodes),
        MessageKind.TrainingPlan or MessageKind.Referral => (MedComCodeLists.HubActivityCodeSystem, MedComCodeLists.HubActivityCodes),
        _ => (MedComCodeLists.ActivityCodeSystem, MedComCodeLists.ActivityCodes),
    };

    private static readonly FrozenSet<string> AcknowledgementOnly =
        new[] { MedComCodeLists.AcknowledgementActivity }.ToFrozenSet(StringComparer.Ordinal);

    private static string Describe(MessageKind kind) => kind switch
    {
        MessageKind.HospitalNotification => "HospitalNotification",
        MessageKind.Acknowledgement => "Acknowledgement's own Provenance",
        MessageKind.EpisodeStatus => "episode-status message",
        MessageKind.AdmissionReport => "admission report",
        MessageKind.TrainingPlan => "training plan",
        MessageKind.Referral => "referral",
        _ => "CareCommunication",
    };

    private static string AllowedName(MessageKind kind) => kind switch
    {
        MessageKind.HospitalNotification => "ValueSet medcom-hospitalNotification-messageActivities",
        MessageKind.Acknowledgement => "it must be acknowledgement",
        MessageKind.EpisodeStatus or MessageKind.AdmissionReport => "contracts/profiles",
        MessageKind.TrainingPlan or MessageKind.Referral => "contracts/profiles",
        _ => "ValueSet medcom-careCommunication-messagingActivities",
    };
}

using System.Collections.Frozen;

namespace Integration.Fhir.Notifications;

/// <summary>From Provenance.activity and Patient.deceased to the MedCom event code (STIN, RE_STIN, AN_STIN, ...).</summary>
/// <remarks>
/// RE_MORS and AN_MORS: MedCom's "Overview of HospitalNotification codes and HL7 FHIR resources" (HospitalNotification
/// 3.x documentation) encodes MORS, RE_MORS and AN_MORS all with the "current activity" (the activity of the stay's
/// previous notification, e.g. admit-inpatient), not with revise-/cancel- codes: RE_MORS has Patient.deceased = true,
/// AN_MORS has Patient.deceased = false and the previous Encounter.status. A single message therefore cannot tell
/// MORS from RE_MORS, nor AN_MORS from a repeated plain notification; only the stay's history can (a second MORS
/// for a stay is a correction; a living patient after MORS is a cancellation of the death). This reader stays
/// stateless and decides:
/// <list type="bullet">
/// <item>deceased with a plain activity → MORS (MedCom's encoding of both MORS and RE_MORS);</item>
/// <item>deceased with a revise-* activity → RE_MORS, deceased with a cancel-* activity → AN_MORS (not MedCom's
/// encoding, but the only reading of a correction or cancellation that states the patient is dead);</item>
/// <item>not deceased → the activity's own event (MedCom's AN_MORS arrives as e.g. STIN; the stay's history must
/// recognise it).</item>
/// </list>
/// </remarks>
internal static class NotificationEvents
{
    private enum Kind { Plain, Revise, Cancel }

    private const string RevisePrefix = "revise-";
    private const string CancelPrefix = "cancel-";

    private static readonly FrozenDictionary<string, NotificationEvent> PlainActivities =
        new Dictionary<string, NotificationEvent>(StringComparer.Ordinal)
        {
            ["admit-inpatient"] = NotificationEvent.STIN,
            ["admit-emergency"] = NotificationEvent.STAA,
            ["start-leave-inpatient"] = NotificationEvent.STOR,
            ["end-leave-inpatient"] = NotificationEvent.SLOR,
            ["discharge-inpatient-home"] = NotificationEvent.SLHJ,
            ["discharge-emergency-home"] = NotificationEvent.SLHJ,
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every code of CodeSystem medcom-messaging-activityCodes (terminology 2.0.2).</summary>
    private static readonly FrozenSet<string> AllActivityCodes = new[]
    {
        "new-message", "forward-message", "reply-message", "retract-message", "modified-message",
        "carboncopy-message", "acknowledgement",
        "admit-emergency", "revise-admit-emergency", "cancel-admit-emergency",
        "admit-inpatient", "revise-admit-inpatient", "cancel-admit-inpatient",
        "start-leave-inpatient", "revise-start-leave-inpatient", "cancel-start-leave-inpatient",
        "end-leave-inpatient", "revise-end-leave-inpatient", "cancel-end-leave-inpatient",
        "discharge-emergency-home", "discharge-inpatient-home",
        "revise-discharge-emergency-home", "revise-discharge-inpatient-home",
        "cancel-discharge-emergency-home", "cancel-discharge-inpatient-home",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsKnownActivityCode(string code) => AllActivityCodes.Contains(code);

    /// <summary>The event, or null when the activity is not a HospitalNotification activity.</summary>
    public static NotificationEvent? Decide(string activityCode, bool deceased)
    {
        var (kind, plainCode) = activityCode switch
        {
            _ when activityCode.StartsWith(RevisePrefix, StringComparison.Ordinal) => (Kind.Revise, activityCode[RevisePrefix.Length..]),
            _ when activityCode.StartsWith(CancelPrefix, StringComparison.Ordinal) => (Kind.Cancel, activityCode[CancelPrefix.Length..]),
            _ => (Kind.Plain, activityCode),
        };

        if (!PlainActivities.TryGetValue(plainCode, out var plain))
        {
            return null;
        }

        var family = deceased ? NotificationEvent.MORS : plain;
        return (kind, family) switch
        {
            (Kind.Plain, _) => family,
            (Kind.Revise, NotificationEvent.STAA) => NotificationEvent.RE_STAA,
            (Kind.Revise, NotificationEvent.STIN) => NotificationEvent.RE_STIN,
            (Kind.Revise, NotificationEvent.STOR) => NotificationEvent.RE_STOR,
            (Kind.Revise, NotificationEvent.SLOR) => NotificationEvent.RE_SLOR,
            (Kind.Revise, NotificationEvent.SLHJ) => NotificationEvent.RE_SLHJ,
            (Kind.Revise, NotificationEvent.MORS) => NotificationEvent.RE_MORS,
            (Kind.Cancel, NotificationEvent.STAA) => NotificationEvent.AN_STAA,
            (Kind.Cancel, NotificationEvent.STIN) => NotificationEvent.AN_STIN,
            (Kind.Cancel, NotificationEvent.STOR) => NotificationEvent.AN_STOR,
            (Kind.Cancel, NotificationEvent.SLOR) => NotificationEvent.AN_SLOR,
            (Kind.Cancel, NotificationEvent.SLHJ) => NotificationEvent.AN_SLHJ,
            (Kind.Cancel, NotificationEvent.MORS) => NotificationEvent.AN_MORS,
            _ => null,
        };
    }
}

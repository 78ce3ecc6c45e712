using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Validation.Rules;

/// <summary>HospitalNotification 3.0.2: the Encounter the message is about (MessageHeader.focus 1..1), with MedCom's class
/// and status codes and the elements the receiver needs (medcom-hospitalNotification-encounter).</summary>
internal static class HospitalNotificationRules
{
    public static void Check(MessageContext message, IssueList issues)
    {
        var encounters = message.All<Encounter>().ToList();
        if (encounters.Count != 1)
        {
            issues.Error(HubRules.EncounterRequired, encounters.Count == 0 ? HubRules.EncounterRequired.MedComCode : "MSG_RESOURCE_NOT_ALLOWED",
                "Bundle.entry", Invariant($"A HospitalNotification has exactly one Encounter; this one has {encounters.Count}."));
        }

        var focus = message.Header.Focus;
        var (focused, path) = focus.Count == 1 ? message.Resolve<Encounter>(focus[0]) : (null, null);
        if (focused is null)
        {
            issues.Error(HubRules.EncounterRequired, MessageContext.HeaderPath + ".focus",
                "MessageHeader.focus must reference the Encounter in the Bundle.");
            return;
        }

        CheckEncounter(focused, path!, issues);
    }

    private static void CheckEncounter(Encounter encounter, string path, IssueList issues)
    {
        var encounterClass = encounter.Class;
        if (!string.Equals(encounterClass?.System, MedComCodeLists.ActCodeSystem, StringComparison.Ordinal)
            || encounterClass?.Code is not { } classCode || !MedComCodeLists.EncounterClasses.Contains(classCode))
        {
            issues.Error(HubRules.EncounterClass, path + ".class",
                "Encounter.class must be IMP or EMER from v3-ActCode (medcom-hospitalNotification-encounterClass).");
        }

        if (encounter.Status?.GetLiteral() is not { } status || !MedComCodeLists.EncounterStatuses.Contains(status))
        {
            issues.Error(HubRules.EncounterStatus, path + ".status",
                "Encounter.status must be in-progress, onleave, finished or entered-in-error (medcom-hospitalNotification-encounterStatus).");
        }

        if (!encounter.EpisodeOfCare.Any(e => !string.IsNullOrWhiteSpace(e.Identifier?.Value)))
        {
            issues.Error(HubRules.EncounterElements, path + ".episodeOfCare", "Encounter.episodeOfCare.identifier is missing.");
        }

        if (encounter.Period?.StartElement?.Value is null)
        {
            issues.Error(HubRules.EncounterElements, path + ".period.start", "Encounter.period.start is missing.");
        }

        if (encounter.ServiceProvider is null)
        {
            issues.Error(HubRules.EncounterElements, path + ".serviceProvider", "Encounter.serviceProvider is missing.");
        }
    }
}

using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Validation.Rules;

/// <summary>The Patient: exactly one where the message type is about a citizen, CPR numbers well-formed, and a CPR number
/// where the profile demands one (HospitalNotification: medcom-hospitalNotification-4; CareCommunication also allows
/// replacement CPR numbers).</summary>
internal static class PatientRules
{
    public static void Check(MessageContext message, IssueList issues)
    {
        var patients = message.All<Patient>().ToList();
        foreach (var (patient, path) in patients)
        {
            for (var i = 0; i < patient.Identifier.Count; i++)
            {
                var identifier = patient.Identifier[i];
                if (string.Equals(identifier.System, MedComUrls.CprSystem, StringComparison.Ordinal)
                    && !DanishIdentifiers.IsWellFormedCpr(identifier.Value))
                {
                    issues.Error(HubRules.CprFormat, Invariant($"{path}.identifier[{i}].value"),
                        "The CPR number is not 10 digits starting with a valid date (DDMMYY).");
                }
            }
        }

        if (message.Kind != MessageKind.HospitalNotification && !message.IsCareCommunication)
        {
            return;
        }

        if (patients.Count != 1)
        {
            issues.Error(HubRules.PatientRequired, patients.Count == 0 ? HubRules.PatientRequired.MedComCode : "MSG_RESOURCE_NOT_ALLOWED",
                "Bundle.entry", Invariant($"The message must have exactly one Patient; it has {patients.Count}."));
            return;
        }

        var (only, onlyPath) = patients[0];
        if (message.Kind == MessageKind.HospitalNotification && IdentifierValue(only.Identifier, MedComUrls.CprSystem) is null)
        {
            issues.Error(HubRules.PatientCpr, onlyPath + ".identifier",
                $"The Patient of a HospitalNotification is identified by a CPR number (system {MedComUrls.CprSystem}).");
        }
    }
}

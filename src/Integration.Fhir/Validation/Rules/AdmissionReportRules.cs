using Hl7.Fhir.Model;
using Integration.Fhir.Rehabilitation.Outgoing;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Validation.Rules;

/// <summary>The admission report (indlæggelsesrapport, contracts/profiles/admission-report.md): one citizen, one CarePlan in
/// focus with at least one service, each with a name and a legal basis, a contact with a phone number, and what it answers:
/// the HospitalNotification (Provenance.entity) and the hospital's stay (CarePlan.supportingInfo).</summary>
internal static class AdmissionReportRules
{
    private const string BadFormat = "MSG_BAD_FORMAT";

    public static readonly HubRule Report = new("hub-ar-careplan", "MSG_RESOURCE_REQUIRED",
        "An admission report has one CarePlan, MessageHeader.focus references it, and its subject is the message's Patient.");
    public static readonly HubRule Notification = new("hub-ar-notification", BadFormat,
        "The message's own Provenance names the HospitalNotification it answers: an entity with role revision whose what.reference is that message's MessageHeader.");
    public static readonly HubRule Stay = new("hub-ar-stay", BadFormat,
        "CarePlan.supportingInfo names the hospital's stay by identifier (the notification's Encounter.episodeOfCare.identifier).");
    public static readonly HubRule Services = new("hub-ar-services", BadFormat,
        "The CarePlan lists at least one service (activity.detail) with a name (detail.code.text).");
    public static readonly HubRule LegalBasis = new("hub-ar-legal-basis", MedComIssueCodes.CodeSystemValueUnknown,
        "Every service has one legal basis (extension rehab-legal-basis on activity.detail) coded in rehab-legal-basis.");
    public static readonly HubRule Contact = new("hub-ar-contact", BadFormat,
        "CarePlan.author references an Organization in the Bundle with a name and a phone number (whom the hospital calls).");

    public static IReadOnlyList<HubRule> Rules { get; } = [Report, Notification, Stay, Services, LegalBasis, Contact];

    public static void Check(MessageContext message, IssueList issues)
    {
        var patientPath = EpisodeStatusRules.CheckCitizen(message, issues);
        CheckNotification(message, issues);
        var (carePlan, path) = EpisodeStatusRules.Focus<CarePlan>(message, Report, "CarePlan", issues);
        if (carePlan is null)
        {
            return;
        }

        if (patientPath is not null && message.Resolve<Patient>(carePlan.Subject).Path != patientPath)
        {
            issues.Error(Report, BadFormat, path + ".subject", "CarePlan.subject does not reference the message's Patient.");
        }

        if (!carePlan.SupportingInfo.Any(r => !string.IsNullOrWhiteSpace(r.Identifier?.Value)))
        {
            issues.Error(Stay, path + ".supportingInfo", "CarePlan.supportingInfo names no hospital stay by identifier.");
        }

        CheckServices(carePlan, path, issues);
        CheckContact(message, carePlan, path, issues);
    }

    private static void CheckNotification(MessageContext message, IssueList issues)
    {
        foreach (var (provenance, path) in message.OwnProvenances())
        {
            var names = provenance.Entity.Any(e => e.Role == Provenance.ProvenanceEntityRole.Revision
                                                   && AdmissionReportReader.MessageHeaderId(e.What?.Reference) is not null);
            if (!names)
            {
                issues.Error(Notification, path + ".entity",
                    "The message's Provenance names no HospitalNotification (entity with role revision, what.reference = its MessageHeader).");
            }
        }
    }

    private static void CheckServices(CarePlan carePlan, string path, IssueList issues)
    {
        if (carePlan.Activity.Count == 0)
        {
            issues.Error(Services, path + ".activity", "The CarePlan lists no service: an admission report is sent for citizens who receive help.");
            return;
        }

        for (var i = 0; i < carePlan.Activity.Count; i++)
        {
            var detailPath = Invariant($"{path}.activity[{i}].detail");
            var detail = carePlan.Activity[i].Detail;
            if (detail is null || string.IsNullOrWhiteSpace(detail.Code?.Text))
            {
                issues.Error(Services, detailPath + ".code.text", "The service has no name (activity.detail.code.text).");
            }

            CheckLegalBasis(detail, detailPath, issues);
        }
    }

    private static void CheckLegalBasis(CarePlan.DetailComponent? detail, string detailPath, IssueList issues)
    {
        var bases = (detail?.Extension ?? [])
            .Select((e, i) => (e, i))
            .Where(x => string.Equals(x.e.Url, OutgoingCodes.LegalBasisExtension, StringComparison.Ordinal))
            .ToList();
        if (bases.Count != 1)
        {
            issues.Error(LegalBasis, BadFormat, detailPath + ".extension", "The service has exactly one legal basis (extension rehab-legal-basis).");
            return;
        }

        var (extension, index) = bases[0];
        if (extension.Value is not Coding coding || !string.Equals(coding.System, OutgoingCodes.LegalBasisSystem, StringComparison.Ordinal))
        {
            issues.Error(LegalBasis, Invariant($"{detailPath}.extension[{index}].value"), "The legal basis is not a Coding in rehab-legal-basis.");
        }
        else if (coding.Code is null || !OutgoingCodes.LegalBasisCodes.Contains(coding.Code))
        {
            issues.Error(LegalBasis, Invariant($"{detailPath}.extension[{index}].value.code"), "The legal basis is not a code of rehab-legal-basis.");
        }
    }

    private static void CheckContact(MessageContext message, CarePlan carePlan, string path, IssueList issues)
    {
        var (contact, _) = message.Resolve<Organization>(carePlan.Author);
        var hasPhone = contact?.Telecom.Any(t => t.System == ContactPoint.ContactPointSystem.Phone && !string.IsNullOrWhiteSpace(t.Value)) == true;
        if (contact is null || string.IsNullOrWhiteSpace(contact.Name) || !hasPhone)
        {
            issues.Error(Contact, path + ".author", "CarePlan.author does not reference a named Organization with a phone number.");
        }
    }
}

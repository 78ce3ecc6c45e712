using Hl7.Fhir.Model;
using Integration.Fhir.Messaging;
using Integration.Fhir.Parsing;
using Integration.Fhir.Validation.Rules;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Rehabilitation.Outgoing;

/// <summary>Reads an admission report (contracts/profiles/admission-report.md): the services of the CarePlan, the contact,
/// the notification it answers (Provenance.entity, role revision) and the hospital's stay (CarePlan.supportingInfo).</summary>
internal sealed class AdmissionReportReader(SafeFhirDeserializer deserializer) : IAdmissionReportReader
{
    public AdmissionReportResult Read(string fhirJson)
    {
        ArgumentNullException.ThrowIfNull(fhirJson);
        return TypedMessageLoader.Guarded(() => ReadCore(fhirJson), issue => new AdmissionReportResult(null, [issue]));
    }

    private AdmissionReportResult ReadCore(string fhirJson)
    {
        if (TypedMessageLoader.TryLoad(deserializer, fhirJson, MedComCodeLists.AdmissionReportEvent, "an admission report",
                out var bundle, out var header) is { } notLoaded)
        {
            return new AdmissionReportResult(null, [notLoaded]);
        }

        var issues = new List<MedComIssue>();
        var facts = OutgoingMessageFacts.Read(bundle, header, issues);
        var answered = AnsweredNotification(facts, issues);
        var (carePlan, path) = facts.Focus<CarePlan>(issues);
        if (carePlan is null || issues.Count > 0)
        {
            return new AdmissionReportResult(null, issues);
        }

        var stay = carePlan.SupportingInfo.Select(r => r.Identifier?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        if (stay is null)
        {
            issues.Add(new MedComIssue("MSG_BAD_FORMAT", "CarePlan.supportingInfo names no hospital stay by identifier.", path + ".supportingInfo"));
        }

        var services = ReadServices(carePlan, path, issues);
        var contact = OutgoingMessageFacts.Unit(Resolve<Organization>(bundle, carePlan.Author));
        if (contact?.Phone is null)
        {
            issues.Add(new MedComIssue("MSG_BAD_FORMAT",
                "CarePlan.author does not reference a named Organization with a phone number.", path + ".author"));
        }

        if (issues.Count > 0)
        {
            return new AdmissionReportResult(null, issues);
        }

        return new AdmissionReportResult(new ReceivedAdmissionReport
        {
            MessageHeaderId = header.Id!,
            SentAt = facts.SentAt,
            From = facts.From!,
            FromEndpoint = facts.FromEndpoint,
            To = facts.To!,
            ToEndpoint = facts.ToEndpoint,
            CitizenCpr = facts.CitizenCpr!,
            AnsweredNotificationMessageHeaderId = answered!,
            StayIdentifier = stay!,
            Services = services,
            Contact = contact!,
        }, []);
    }

    /// <summary>The HospitalNotification answered: the MessageHeader id an entity with role revision names.</summary>
    private static string? AnsweredNotification(OutgoingMessageFacts facts, List<MedComIssue> issues)
    {
        var answered = facts.OwnProvenance?.Entity
            .Where(e => e.Role == Provenance.ProvenanceEntityRole.Revision)
            .Select(e => MessageHeaderId(e.What?.Reference))
            .FirstOrDefault(id => id is not null);
        if (answered is null && facts.OwnProvenance is not null)
        {
            issues.Add(new MedComIssue("MSG_BAD_FORMAT",
                "The message's Provenance names no HospitalNotification (entity with role revision, what = its MessageHeader).",
                facts.OwnProvenancePath + ".entity"));
        }

        return answered;
    }

    /// <summary>The id of a <c>MessageHeader/{id}</c> reference, relative or absolute.</summary>
    public static string? MessageHeaderId(string? reference)
    {
        const string marker = "MessageHeader/";
        var at = reference?.LastIndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (at < 0 || (at > 0 && reference![at - 1] != '/'))
        {
            return null;
        }

        var id = reference![(at + marker.Length)..];
        return id.Length > 0 && !id.Contains('/', StringComparison.Ordinal) ? id : null;
    }

    private static List<MunicipalService> ReadServices(CarePlan carePlan, string path, List<MedComIssue> issues)
    {
        var services = new List<MunicipalService>();
        if (carePlan.Activity.Count == 0)
        {
            issues.Add(new MedComIssue("MSG_BAD_FORMAT", "The CarePlan lists no service (activity).", path + ".activity"));
        }

        for (var i = 0; i < carePlan.Activity.Count; i++)
        {
            var detailPath = Invariant($"{path}.activity[{i}].detail");
            var detail = carePlan.Activity[i].Detail;
            var name = detail?.Code?.Text ?? detail?.Code?.Coding.FirstOrDefault()?.Display;
            if (string.IsNullOrWhiteSpace(name))
            {
                issues.Add(new MedComIssue("MSG_BAD_FORMAT", "The service has no name (detail.code.text).", detailPath + ".code"));
            }

            var basis = OutgoingCodes.LegalBasisOf((FindExtension(detail?.Extension ?? [], OutgoingCodes.LegalBasisExtension)?.Value as Coding)?.Code);
            if (basis is null)
            {
                issues.Add(new MedComIssue(MedComIssueCodes.CodeSystemValueUnknown,
                    "The service has no legal basis from rehab-legal-basis.", detailPath + ".extension"));
            }

            if (name is not null && basis is not null)
            {
                services.Add(new MunicipalService(name, basis.Value, (detail!.Scheduled as FhirString)?.Value));
            }
        }

        return services;
    }
}

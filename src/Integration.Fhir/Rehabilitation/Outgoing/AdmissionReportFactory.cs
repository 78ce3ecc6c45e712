using Hl7.Fhir.Model;
using Integration.Fhir.Validation.Rules;
using static Integration.Fhir.Acknowledgements.Narratives;
using static Integration.Fhir.Rehabilitation.Outgoing.OutgoingEnvelope;

namespace Integration.Fhir.Rehabilitation.Outgoing;

/// <summary>Builds admission reports (indlæggelsesrapport, contracts/profiles/admission-report.md): the help a citizen
/// receives at home, answering a HospitalNotification that asked for it. Entries: MessageHeader, Provenance, sender,
/// receiver, Patient, CarePlan, contact unit.</summary>
internal sealed class AdmissionReportFactory : IAdmissionReportFactory
{
    public BuiltAdmissionReport Create(AdmissionReportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);

        var bundleId = NewId();
        var headerId = NewId();
        var sender = MessagingOrganization(request.From);
        var receiver = MessagingOrganization(request.To);
        var patient = CitizenPatient(request.CitizenCpr);
        var contact = Unit(request.Contact);
        var carePlan = BuildCarePlan(request, patient, contact);
        var header = Header(headerId, OutgoingCodes.AdmissionReportHeaderProfile, MedComCodeLists.AdmissionReportEvent, sender,
            request.FromEndpoint, receiver, request.ToEndpoint, carePlan,
            $"<p><b>Admission report</b> answering message {E(request.AnsweredNotificationMessageHeaderId)}</p>"
            + $"<p>From {E(Describe(request.From))} to {E(Describe(request.To))}</p>");
        var provenance = OwnProvenance(headerId, request.CreatedAt, OutgoingCodes.AdmissionReportActivity, sender,
            $"<p>Admission report sent {E(Timestamp(request.CreatedAt))} by {E(Describe(request.From))}, answering message "
            + $"{E(request.AnsweredNotificationMessageHeaderId)}</p>",
            answersMessageHeaderId: request.AnsweredNotificationMessageHeaderId);

        var json = Serialize(bundleId, OutgoingCodes.AdmissionReportMessageProfile, request.CreatedAt,
            [header, provenance, sender, receiver, patient, carePlan, contact]);
        return new BuiltAdmissionReport(bundleId, headerId, json);
    }

    private static void Validate(AdmissionReportRequest request)
    {
        RequireParties(request.From, request.FromEndpoint, request.To, request.ToEndpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.CitizenCpr);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.AnsweredNotificationMessageHeaderId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.StayIdentifier);
        ArgumentNullException.ThrowIfNull(request.Contact);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Contact.Name);
        ArgumentNullException.ThrowIfNull(request.Services);
        if (string.IsNullOrWhiteSpace(request.Contact.Phone))
        {
            throw new ArgumentException("The contact needs a phone number: the hospital calls it.", nameof(request));
        }

        if (request.Services.Count == 0)
        {
            throw new ArgumentException("An admission report lists at least one service (it is sent only for citizens who receive help).", nameof(request));
        }

        foreach (var service in request.Services)
        {
            if (service is null || string.IsNullOrWhiteSpace(service.Name) || !Enum.IsDefined(service.LegalBasis))
            {
                throw new ArgumentException("Every service has a name and a known legal basis.", nameof(request));
            }
        }
    }

    private static CarePlan BuildCarePlan(AdmissionReportRequest request, Patient patient, Organization contact)
    {
        var carePlan = new CarePlan
        {
            Id = NewId(),
            Meta = new Meta { Profile = [OutgoingCodes.CarePlanProfile] },
            Status = RequestStatus.Active,
            Intent = CarePlan.CarePlanIntent.Plan,
            Title = "Indlæggelsesrapport",
            Subject = Reference(patient),
            CreatedElement = new FhirDateTime(request.CreatedAt),
            Author = Reference(contact),
            // The hospital's stay, as its notification named it (Encounter.episodeOfCare.identifier, under the hospital's SOR).
            SupportingInfo =
            [
                new ResourceReference
                {
                    Type = "EpisodeOfCare",
                    Identifier = new Identifier(OutgoingCodes.SorScopedSystem(request.To.Sor!), request.StayIdentifier),
                },
            ],
        };
        foreach (var service in request.Services)
        {
            var (code, display) = OutgoingCodes.CodeOf(service.LegalBasis);
            var detail = new CarePlan.DetailComponent
            {
                Status = CarePlan.CarePlanActivityStatus.InProgress,
                Code = new CodeableConcept { Text = service.Name },
                Scheduled = string.IsNullOrWhiteSpace(service.Frequency) ? null : new FhirString(service.Frequency),
            };
            detail.Extension.Add(new Extension(OutgoingCodes.LegalBasisExtension, new Coding(OutgoingCodes.LegalBasisSystem, code, display)));
            carePlan.Activity.Add(new CarePlan.ActivityComponent { Detail = detail });
        }

        carePlan.Text = Generated(Narrative(request));
        return carePlan;
    }

    private static string Narrative(AdmissionReportRequest request)
    {
        var rows = string.Concat(request.Services.Select(s =>
            $"<tr><td>{E(s.Name)}</td><td>{E(OutgoingCodes.CodeOf(s.LegalBasis).Display)}</td><td>{E(s.Frequency ?? "")}</td></tr>"));
        return $"<p><b>Indlæggelsesrapport</b> for hospital stay {E(request.StayIdentifier)}</p>"
               + $"<table><tr><th>Help</th><th>Legal basis</th><th>Frequency</th></tr>{rows}</table>"
               + $"<p>Contact: {E(request.Contact.Name)}, phone {E(request.Contact.Phone!)}</p>";
    }
}

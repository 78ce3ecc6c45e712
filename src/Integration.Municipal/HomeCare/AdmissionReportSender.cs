using System.Text.Json;
using Integration.Contracts;
using Integration.Fhir;
using Integration.Outbound.Ledger;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Integration.Persistence.HomeCare;

namespace Integration.Municipal.HomeCare;

/// <summary>
/// When a STIN or STAA asks for a report of admission and the citizen is known to municipal care, the municipality
/// answers the hospital with the help the citizen receives (indlæggelsesrapport), sent through the ACK ledger.
/// The report goes to the organisation the notification names as its recipient, else to the notifying hospital.
/// </summary>
public sealed class AdmissionReportSender(IAdmissionReportFactory factory, IPartnerRegistry partners, SentMessageWriter sender, TimeProvider clock)
{
    /// <summary>Whether the notification asks for a report of admission (only a STIN or STAA can).</summary>
    public static bool IsAskedFor(HospitalNotification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return notification.ReportOfAdmissionRequested && notification.Event is NotificationEvent.STIN or NotificationEvent.STAA;
    }

    /// <param name="citizen">The citizen as municipal care knows them in the notification's municipality, read by the
    /// caller; null when not known.</param>
    /// <returns>A line for the message's trace, or null when no report is due.</returns>
    public string? SendIfAsked(HubDbContext db, ApplyHospitalNotification command, HospitalNotification notification, HomeCareCitizen? citizen)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(notification);
        if (!IsAskedFor(notification) || citizen is null)
        {
            return null; // not asked, or not known to municipal care: there is nothing to report
        }

        var services = citizen.ServicesJson is null
            ? []
            : JsonSerializer.Deserialize<List<CitizenService>>(citizen.ServicesJson, HomeCareCitizenSeeder.ServicesJson) ?? [];
        var from = partners.FindById(command.ReceiverPartnerId);
        var recipient = notification.ReportOfAdmissionRecipient is { } named ? partners.Find(named.Ean, named.Sor) : null;
        var to = recipient ?? partners.FindById(command.SenderPartnerId);
        if (from is null || to is null || services.Count == 0 || citizen.ContactPhone is null)
        {
            return "admission report asked for, but the municipal data to send one is missing (unit, recipient, services or contact phone)";
        }

        var built = factory.Create(new AdmissionReportRequest
        {
            From = new OrganizationIdentity(from.Ean, from.Sor, from.Name),
            FromEndpoint = $"https://sor2.sum.dsdn.dk/#id={from.Sor ?? from.Id}",
            To = new OrganizationIdentity(to.Ean, to.Sor, to.Name),
            ToEndpoint = $"https://sor2.sum.dsdn.dk/#id={to.Sor ?? to.Id}",
            CitizenCpr = notification.CitizenCpr,
            AnsweredNotificationMessageHeaderId = command.MessageHeaderId,
            StayIdentifier = notification.StayIdentifier,
            Services = [.. services.Select(s => new MunicipalService(s.Name, Enum.Parse<ServiceLegalBasis>(s.LegalBasis), s.Frequency))],
            Contact = new MunicipalUnit(citizen.ContactUnit ?? from.Name, from.Sor, citizen.ContactPhone),
            CreatedAt = clock.GetUtcNow(),
        });
        sender.Send(db, new OutgoingMessage
        {
            MessageHeaderId = built.MessageHeaderId,
            BundleId = built.BundleId,
            MessageType = MessageTypes.AdmissionReport,
            ReceiverPartnerId = to.Id,
            SourceMessageId = command.MessageId,
            CitizenKey = command.CitizenKey,
            FhirJson = built.FhirJson,
        });
        return $"admission report {built.MessageHeaderId} with {services.Count} service(s) to {to.Id}";
    }
}

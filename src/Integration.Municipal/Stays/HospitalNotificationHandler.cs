using Integration.Contracts;
using Integration.Fhir;
using Integration.Messaging;
using Integration.Messaging.Outbox;
using Integration.Municipal.HomeCare;
using Integration.Outbound.Acknowledgements;
using Integration.Partners;
using Integration.Persistence;
using Integration.Persistence.HomeCare;
using Integration.Persistence.Messages;
using Integration.Persistence.Stays;
using Integration.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Integration.Municipal.Stays;

/// <summary>
/// Applies a HospitalNotification to the citizen's hospital stay. The stay change, the inbox row, the message's new
/// state, the acknowledgement and any home-care alert are written in one transaction: all or nothing, and once.
/// </summary>
public sealed partial class HospitalNotificationHandler(
    IDbContextFactory<HubDbContext> dbFactory,
    IHospitalNotificationReader reader,
    ReadAhead readAhead,
    IPartnerRegistry partners,
    AcknowledgementWriter acknowledgements,
    Episodes.StayEffectsOnEpisodes episodes,
    AdmissionReportSender admissionReports,
    TimeProvider clock,
    ILogger<HospitalNotificationHandler> logger)
{
    internal const string InboxConsumer = "municipal.hospital-notification";

    public async Task HandleAsync(ApplyHospitalNotification command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (await MunicipalInbox.EnterAsync(db, InboxConsumer, command.SenderKey, command.MessageHeaderId, command.MessageId, withBody: false, now, cancellationToken) is not { } message)
        {
            return; // applied before (a redelivery or a resend), or not the hub's message
        }

        // Ingress in this process has usually read it already (ReadAhead); otherwise the stored message is read, and only
        // then its FHIR JSON loaded.
        var read = readAhead.Take<HospitalNotificationResult>(message.Id)
            ?? reader.Read(await MunicipalInbox.BodyAsync(db, message, cancellationToken));
        var issues = read.Errors.ToList();
        if (read.Notification is { } candidate && !Cpr.IsWellFormed(candidate.CitizenCpr))
        {
            issues.Add(new MedComIssue("MSG_Datatype_Wrong", "Patient.identifier is not a well-formed CPR number.", "Bundle.entry.resource.ofType(Patient).identifier"));
        }

        if (!read.Succeeded || issues.Count > 0)
        {
            await MunicipalInbox.RejectAsync(db, acknowledgements, message, issues, now, cancellationToken);
            LogInvalid(logger, command.MessageHeaderId, issues.FirstOrDefault()?.Code ?? "unknown");
        }
        else
        {
            var notification = read.Notification!;
            var stay = await ApplyToStayAsync(db, command, notification, now, cancellationToken);
            message.State = MessageState.Processed;
            message.EventCode = notification.Event.ToString();
            db.MessageEvents.Add(new MessageEvent
            {
                MessageId = message.Id,
                At = now,
                Kind = "processed",
                Detail = $"{notification.Event} applied: stay {stay.StayIdentifier} is {stay.State}",
            });
            if (await admissionReports.SendIfAskedAsync(db, command, notification, cancellationToken) is { } report)
            {
                db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = now, Kind = "admission-report", Detail = report });
            }

            if (await episodes.ApplyAsync(db, command.MunicipalityCode, command.CitizenKey, notification.Event, message.Id, now, cancellationToken) is { } episodeChange)
            {
                db.MessageEvents.Add(new MessageEvent { MessageId = message.Id, At = now, Kind = "episodes", Detail = episodeChange });
            }

            await acknowledgements.AcknowledgeAsync(db, message, AcknowledgementCode.Ok, [], cancellationToken);
            LogApplied(logger, command.MessageHeaderId, notification.Event, command.MunicipalityCode, stay.State);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<HospitalStay> ApplyToStayAsync(
        HubDbContext db, ApplyHospitalNotification command, HospitalNotification notification, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var stay = await db.HospitalStays.Include(s => s.Events).FirstOrDefaultAsync(
            s => s.MunicipalityCode == command.MunicipalityCode && s.CitizenKey == command.CitizenKey && s.StayIdentifier == notification.StayIdentifier,
            cancellationToken);
        StayState? before = stay?.State;
        if (stay is null)
        {
            var hospital = partners.FindById(command.SenderPartnerId);
            stay = new HospitalStay
            {
                Id = Guid.NewGuid(),
                MunicipalityCode = command.MunicipalityCode,
                CitizenKey = command.CitizenKey,
                CitizenCpr = notification.CitizenCpr,
                StayIdentifier = notification.StayIdentifier,
                HospitalName = hospital?.Name ?? "unknown hospital",
                HospitalSor = hospital?.Sor,
                EncounterClass = notification.EncounterClass,
            };
            db.HospitalStays.Add(stay);
        }

        stay.WardName = notification.ServiceProvider?.Name ?? stay.WardName;
        stay.EncounterClass = notification.EncounterClass;
        StayTimeline.Record(stay, notification, now);
        stay.UpdatedAt = now;
        stay.Version++;

        var alert = AlertPolicy.For(before, stay.State);
        var knownToHomeCare = await db.HomeCareCitizens.AnyAsync(
            h => h.MunicipalityCode == command.MunicipalityCode && h.CitizenKey == command.CitizenKey, cancellationToken);
        if (alert is { } kind && knownToHomeCare)
        {
            var alertId = Guid.NewGuid();
            db.HomeCareAlerts.Add(new HomeCareAlertRecord
            {
                Id = alertId,
                MessageId = command.MessageId,
                StayId = stay.Id,
                MunicipalityCode = command.MunicipalityCode,
                Kind = kind.ToString(),
                CreatedAt = now,
            });
            db.MessageEvents.Add(new MessageEvent { MessageId = command.MessageId, At = now, Kind = "homecare-alert", Detail = $"{kind} to {QueueNames.HomeCare(command.MunicipalityCode)}" });
            db.Enqueue(QueueNames.HomeCare(command.MunicipalityCode), new HomeCareAlert
            {
                AlertId = alertId,
                MunicipalityCode = command.MunicipalityCode,
                Kind = kind,
                CitizenCpr = notification.CitizenCpr,
                StayIdentifier = stay.StayIdentifier,
                EventCode = notification.Event.ToString(),
                OccurredAt = notification.OccurredAt,
                HospitalName = stay.HospitalName,
                HospitalSor = stay.HospitalSor,
                WardName = stay.WardName,
                MessageHeaderId = command.MessageHeaderId,
            }, now);
            LogAlert(logger, command.MessageHeaderId, kind, command.MunicipalityCode);
        }

        return stay;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {MessageId} {EventCode} in municipality {Municipality}: stay {StayState}")]
    private static partial void LogApplied(ILogger logger, string messageId, NotificationEvent eventCode, string municipality, StayState stayState);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected {MessageId}: {IssueCode}")]
    private static partial void LogInvalid(ILogger logger, string messageId, string issueCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Home-care alert {AlertKind} for {MessageId} in municipality {Municipality}")]
    private static partial void LogAlert(ILogger logger, string messageId, HomeCareAlertKind alertKind, string municipality);
}

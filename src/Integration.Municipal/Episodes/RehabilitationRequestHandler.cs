using Integration.Contracts;
using Integration.Fhir;
using Integration.Messaging.Outbox;
using Integration.Outbound.Acknowledgements;
using Integration.Persistence;
using Integration.Persistence.Messages;
using Integration.Rehabilitation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Integration.Municipal.Episodes;

/// <summary>
/// A training plan or referral opens, revises (RE_) or cancels (AN_) the citizen's rehabilitation episode. The episode,
/// the inbox row, the acknowledgement and the status messages back are written in one transaction, once.
/// A plan that arrives before the notification of its stay is applied all the same: episodes do not wait for stays.
/// </summary>
public sealed partial class RehabilitationRequestHandler(
    IDbContextFactory<HubDbContext> dbFactory,
    ITrainingPlanReader plans,
    IReferralReader referrals,
    AcknowledgementWriter acknowledgements,
    EpisodeStatusSender statuses,
    CitizensGeneralPractice generalPractices,
    ResponsibilityPolicies responsibility,
    TimeProvider clock,
    ILogger<RehabilitationRequestHandler> logger)
{
    internal const string InboxConsumer = "municipal.rehabilitation-request";

    private sealed record Request(RehabilitationRequestAction Action, EpisodeCause Cause, string CitizenCpr, string? ResidenceMunicipalityCode);

    public async Task HandleAsync(ApplyRehabilitationRequest command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        if (await MunicipalInbox.EnterAsync(db, InboxConsumer, command.SenderKey, command.MessageHeaderId, command.MessageId, now, cancellationToken) is not { } message)
        {
            return;
        }

        var (request, errors) = Read(command, message.Body.FhirJson);
        if (request is { ResidenceMunicipalityCode: { } residence } && residence != command.MunicipalityCode)
        {
            // The plan or referral belongs to the citizen's own municipality: this one must not start an episode for it.
            (request, errors) = (null, [new MedComIssue(MedComIssueCodes.ReceiverIdentifierUnknown,
                $"The citizen lives in municipality {residence}, not in the receiving municipality {command.MunicipalityCode}: send it to the citizen's municipality.",
                "Bundle.entry[0].resource.destination[0].receiver", "hub-receiver-citizen-municipality")]);
        }

        if (request is null)
        {
            await MunicipalInbox.RejectAsync(db, acknowledgements, message, errors, now, cancellationToken);
        }
        else
        {
            var outcome = await ApplyAsync(db, command, request, message.Id, now, cancellationToken);
            message.State = MessageState.Processed;
            message.EventCode = $"{request.Cause.Source} {request.Action}".ToLowerInvariant();
            db.AddEvent(new MessageEvent { MessageId = message.Id, At = now, Kind = "processed", Detail = outcome });
            await acknowledgements.AcknowledgeAsync(db, message, AcknowledgementCode.Ok, [], cancellationToken);
            LogApplied(logger, command.MessageHeaderId, command.MessageType, request.Action, command.MunicipalityCode);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<string> ApplyAsync(
        HubDbContext db, ApplyRehabilitationRequest command, Request request, Guid messageId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var cause = request.Cause;
        var record = await db.Episodes.FirstOrDefaultAsync(e => e.MunicipalityCode == cause.MunicipalityCode
            && e.SenderPartnerId == cause.SenderPartnerId && e.SourceIdentifier == cause.SourceIdentifier, cancellationToken);
        if (record is null)
        {
            if (request.Action == RehabilitationRequestAction.Cancel)
            {
                return $"cancellation of {cause.SourceIdentifier}, which this municipality never received: nothing to cancel";
            }

            // A new plan, or a revision whose original never came: either way the episode starts from this one, led as
            // the municipality's organisation says (by default the unit the plan or referral was addressed to).
            var (unit, coordinator) = responsibility.Choose(cause, command.MunicipalPartnerId);
            var opened = RehabilitationEpisode.Open(cause, unit, now);
            if (coordinator is not null)
            {
                opened.AssignCoordinator(coordinator, now);
            }

            record = EpisodeRecords.NewRecord(opened.ToSnapshot(), request.CitizenCpr, now);
            db.Episodes.Add(record);
            statuses.Send(db, record, opened.TakePendingStatusChanges(), messageId);
            return $"episode {record.Id} opened ({cause.Source} {cause.SourceIdentifier}); responsible unit {record.ResponsibleUnit}"
                + (coordinator is null ? "" : $", coordinator {coordinator}");
        }

        var episode = RehabilitationEpisode.Restore(EpisodeRecords.ToSnapshot(record));
        string outcome;
        try
        {
            if (request.Action == RehabilitationRequestAction.Cancel)
            {
                episode.Cancel(now, "the sender cancelled the plan or referral");
                outcome = $"episode {record.Id} cancelled";
            }
            else
            {
                episode.ReviseCause(cause, now);
                outcome = $"episode {record.Id} revised";
            }
        }
        catch (EpisodeRuleException rule)
        {
            return $"episode {record.Id} unchanged: {rule.Message}";
        }

        var changes = episode.TakePendingStatusChanges();
        EpisodeRecords.Update(record, episode.ToSnapshot(), now);
        statuses.Send(db, record, changes, messageId);
        return outcome;
    }

    private (Request? Request, IReadOnlyList<MedComIssue> Errors) Read(ApplyRehabilitationRequest command, string fhirJson)
    {
        var baseCause = new EpisodeCause
        {
            Source = EpisodeSource.TrainingPlan,
            SourceIdentifier = "",
            MunicipalityCode = command.MunicipalityCode,
            CitizenKey = command.CitizenKey,
            SenderPartnerId = command.SenderPartnerId,
        };
        if (command.MessageType == MessageTypes.TrainingPlan)
        {
            var read = plans.Read(fhirJson);
            if (!read.Succeeded)
            {
                return (null, read.Errors);
            }

            var plan = read.Plan!;
            return (new Request(plan.Action, baseCause with
            {
                SourceIdentifier = plan.PlanIdentifier,
                Level = plan.Level switch
                {
                    TrainingPlanLevel.GeneralBasic => TrainingLevel.AlmenBasal,
                    TrainingPlanLevel.GeneralAdvanced => TrainingLevel.AlmenAvanceret,
                    TrainingPlanLevel.Specialised => TrainingLevel.Specialiseret,
                    _ => TrainingLevel.RehabiliteringSpecialiseret,
                },
                DischargeDate = plan.DischargeDate,
                GeneralPracticePartnerId = generalPractices.PartnerIdFor(plan.GeneralPractitionerSor, command.SenderPartnerId, command.MessageHeaderId),
            }, plan.CitizenCpr, plan.ResidenceMunicipalityCode), []);
        }

        var referralRead = referrals.Read(fhirJson);
        if (!referralRead.Succeeded)
        {
            return (null, referralRead.Errors);
        }

        var referral = referralRead.Referral!;
        return (new Request(referral.Action, baseCause with
        {
            Source = EpisodeSource.Referral,
            SourceIdentifier = referral.ReferralIdentifier,
            Programme = Enum.Parse<Rehabilitation.ReferralProgramme>(referral.Programme.ToString()),
            GeneralPracticePartnerId = generalPractices.PartnerIdFor(referral.GeneralPractitionerSor, command.SenderPartnerId, command.MessageHeaderId),
        }, referral.CitizenCpr, referral.ResidenceMunicipalityCode), []);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {MessageId} {MessageType} ({Action}) in municipality {Municipality}")]
    private static partial void LogApplied(ILogger logger, string messageId, string messageType, RehabilitationRequestAction action, string municipality);
}

public sealed class ApplyRehabilitationRequestConsumer(RehabilitationRequestHandler handler) : MassTransit.IConsumer<ApplyRehabilitationRequest>
{
    public Task Consume(MassTransit.ConsumeContext<ApplyRehabilitationRequest> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return handler.HandleAsync(context.Message, context.CancellationToken);
    }
}

/// <summary>Every retry of a plan or referral failed: see <see cref="TechnicalFailure"/>.</summary>
public sealed class ApplyRehabilitationRequestFaultConsumer(TechnicalFailure failure) : MassTransit.IConsumer<MassTransit.Fault<ApplyRehabilitationRequest>>
{
    public Task Consume(MassTransit.ConsumeContext<MassTransit.Fault<ApplyRehabilitationRequest>> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return failure.RecordAsync(context.Message.Message.MessageId, context.Message.Exceptions, context.CancellationToken);
    }
}

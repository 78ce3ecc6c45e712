using System.Text.Json;
using System.Text.Json.Serialization;
using Integration.Persistence.Episodes;
using Integration.Rehabilitation;

namespace Integration.Municipal.Episodes;

/// <summary>Between the episode's rules (a snapshot) and its stored row: queried fields as columns, lists as JSON.</summary>
public static class EpisodeRecords
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static EpisodeRecord NewRecord(EpisodeSnapshot snapshot, string citizenCpr, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentException.ThrowIfNullOrWhiteSpace(citizenCpr);
        var cause = snapshot.Cause;
        var record = new EpisodeRecord
        {
            Id = snapshot.Id,
            MunicipalityCode = cause.MunicipalityCode,
            CitizenKey = cause.CitizenKey,
            CitizenCpr = citizenCpr,
            Source = cause.Source.ToString(),
            SourceIdentifier = cause.SourceIdentifier,
            SenderPartnerId = cause.SenderPartnerId,
            State = "",
            ResponsibleUnit = "",
            Length = "",
            GoalsJson = "[]",
            EffortsJson = "[]",
            HistoryJson = "[]",
        };
        Update(record, snapshot, now);
        return record;
    }

    /// <summary>Copies what changes over an episode's life onto its row: a revision (RE_) may change the cause's level,
    /// programme, discharge date and GP; its identity (source, identifier, citizen, sender) never changes.</summary>
    public static void Update(EpisodeRecord record, EpisodeSnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(snapshot);
        var cause = snapshot.Cause;
        record.GeneralPracticePartnerId = cause.GeneralPracticePartnerId;
        record.Level = cause.Level?.ToString();
        record.Programme = cause.Programme?.ToString();
        record.DischargeDate = cause.DischargeDate;
        record.StartDeadline = snapshot.Cause.DischargeDate?.AddDays(RehabilitationEpisode.StartWithinDays);
        record.State = snapshot.State.ToString();
        record.ResponsibleUnit = snapshot.ResponsibleUnit;
        record.Coordinator = snapshot.Coordinator;
        record.Length = snapshot.Length.ToString();
        record.ReceivedAt = snapshot.ReceivedAt;
        record.PlannedStart = snapshot.PlannedStart;
        record.PostponementReason = snapshot.PostponementReason;
        record.FreeChoiceOffered = snapshot.FreeChoiceOffered;
        record.StartedAt = snapshot.StartedAt;
        record.NextEvaluation = snapshot.NextEvaluation;
        record.PlannedEnd = snapshot.PlannedEnd;
        record.EndedAt = snapshot.EndedAt;
        record.RevisitationAt = snapshot.Revisitation?.At;
        record.RevisitationOutcome = snapshot.Revisitation?.Outcome.ToString();
        record.RevisitationNote = snapshot.Revisitation?.Note;
        record.CancellationReason = snapshot.CancellationReason;
        record.GoalsJson = JsonSerializer.Serialize(snapshot.Goals, Json);
        record.EffortsJson = JsonSerializer.Serialize(snapshot.Efforts, Json);
        record.HistoryJson = JsonSerializer.Serialize(snapshot.History, Json);
        record.UpdatedAt = now;
        record.Version++;
    }

    public static EpisodeSnapshot ToSnapshot(EpisodeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new EpisodeSnapshot
        {
            Id = record.Id,
            Cause = new EpisodeCause
            {
                Source = Enum.Parse<EpisodeSource>(record.Source),
                SourceIdentifier = record.SourceIdentifier,
                MunicipalityCode = record.MunicipalityCode,
                CitizenKey = record.CitizenKey,
                SenderPartnerId = record.SenderPartnerId,
                GeneralPracticePartnerId = record.GeneralPracticePartnerId,
                Level = record.Level is null ? null : Enum.Parse<TrainingLevel>(record.Level),
                Programme = record.Programme is null ? null : Enum.Parse<ReferralProgramme>(record.Programme),
                DischargeDate = record.DischargeDate,
            },
            State = Enum.Parse<EpisodeState>(record.State),
            ResponsibleUnit = record.ResponsibleUnit,
            Coordinator = record.Coordinator,
            Length = Enum.Parse<CourseLength>(record.Length),
            ReceivedAt = record.ReceivedAt,
            PlannedStart = record.PlannedStart,
            PostponementReason = record.PostponementReason,
            FreeChoiceOffered = record.FreeChoiceOffered,
            StartedAt = record.StartedAt,
            NextEvaluation = record.NextEvaluation,
            PlannedEnd = record.PlannedEnd,
            EndedAt = record.EndedAt,
            Revisitation = record.RevisitationOutcome is null
                ? null
                : new Revisitation(record.RevisitationAt!.Value, Enum.Parse<RevisitationOutcome>(record.RevisitationOutcome), record.RevisitationNote),
            CancellationReason = record.CancellationReason,
            Goals = JsonSerializer.Deserialize<List<EpisodeGoal>>(record.GoalsJson, Json) ?? [],
            Efforts = JsonSerializer.Deserialize<List<Effort>>(record.EffortsJson, Json) ?? [],
            History = JsonSerializer.Deserialize<List<EpisodeEvent>>(record.HistoryJson, Json) ?? [],
        };
    }
}

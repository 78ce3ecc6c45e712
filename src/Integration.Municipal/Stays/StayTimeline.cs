using Integration.Fhir;
using Integration.Persistence.Stays;

namespace Integration.Municipal.Stays;

/// <summary>
/// A stay's state is the fold of its valid notifications in the order they happened in the stay, not in the order
/// they arrived. So a discharge that overtakes its admission, or a correction that arrives first, still ends in the
/// right state; nothing is dropped. RE_xx replaces and AN_xx cancels the latest notification of the same kind
/// (MedCom: corrections and cancellations refer to the latest notification). See docs/adr/0002-ordering-per-citizen.md.
/// </summary>
internal static class StayTimeline
{
    public static void Record(HospitalStay stay, HospitalNotification notification, DateTimeOffset now)
    {
        var code = notification.Event.ToString();
        var baseEvent = BaseEvent(code);
        var entry = new StayEvent
        {
            StayId = stay.Id,
            MessageHeaderId = notification.MessageHeaderId,
            EventCode = code,
            BaseEvent = baseEvent,
            OccurredAt = notification.OccurredAt,
            EffectiveAt = EffectiveTime(baseEvent, notification),
            StayStart = notification.StayStart,
            StayEnd = notification.StayEnd,
            LeaveStart = notification.LeaveStart,
            LeaveEnd = notification.LeaveEnd,
            AppliedAt = now,
        };

        if (IsCorrection(code) || IsCancellation(code))
        {
            var target = LatestValid(stay, baseEvent, before: notification.OccurredAt);
            if (target is not null)
            {
                entry.Matched = true;
                if (IsCancellation(code))
                {
                    target.Cancelled = true;
                }
                else
                {
                    target.Replaced = true;
                }
            }
        }
        else
        {
            // The original may arrive after its own correction or cancellation: apply those to it now.
            var pending = stay.Events
                .Where(e => !e.Matched && e.BaseEvent == baseEvent && (IsCorrection(e.EventCode) || IsCancellation(e.EventCode)) && e.OccurredAt >= notification.OccurredAt)
                .OrderBy(e => e.OccurredAt)
                .FirstOrDefault();
            if (pending is not null)
            {
                pending.Matched = true;
                entry.Cancelled = IsCancellation(pending.EventCode);
                entry.Replaced = IsCorrection(pending.EventCode);
            }
        }

        stay.Events.Add(entry);
        Refresh(stay);
    }

    /// <summary>Recomputes the stay's state and times from its events.</summary>
    public static void Refresh(HospitalStay stay)
    {
        var valid = stay.Events
            .Where(e => !e.Cancelled && !e.Replaced && !IsCancellation(e.EventCode))
            .OrderBy(e => e.EffectiveAt).ThenBy(e => e.OccurredAt).ThenBy(e => e.AppliedAt)
            .ToList();

        StayState? state = null;
        foreach (var e in valid)
        {
            state = e.BaseEvent switch
            {
                "STIN" => StayState.Admitted,
                "STAA" => StayState.AcuteAmbulant,
                "STOR" => StayState.OnLeave,
                "SLOR" => StayState.Admitted,
                "SLHJ" => StayState.Discharged,
                "MORS" => StayState.Deceased,
                _ => state,
            };
        }

        if (state is null && stay.Events.Any(e => e.BaseEvent is "STIN" or "STAA" && (e.Cancelled || IsCancellation(e.EventCode))))
        {
            state = StayState.Cancelled;
        }

        stay.State = state ?? stay.State;
        stay.Corrected = valid.Any(e => IsCorrection(e.EventCode));
        var starts = valid.Where(e => e.BaseEvent is "STIN" or "STAA").Select(e => e.StayStart ?? e.EffectiveAt).ToList();
        stay.StartedAt = starts.Count > 0 ? starts.Min() : null;
        var end = valid.LastOrDefault(e => e.BaseEvent is "SLHJ" or "MORS");
        stay.EndedAt = stay.State is StayState.Discharged or StayState.Deceased ? end?.StayEnd ?? end?.EffectiveAt : null;
        stay.LeaveStartedAt = stay.State == StayState.OnLeave ? valid.Last(e => e.BaseEvent == "STOR").EffectiveAt : null;
        var last = stay.Events.MaxBy(e => e.OccurredAt);
        stay.LastEventCode = last?.EventCode;
        stay.LastEventAt = last?.OccurredAt;
    }

    public static string BaseEvent(string code) =>
        code.StartsWith("RE_", StringComparison.Ordinal) || code.StartsWith("AN_", StringComparison.Ordinal) ? code[3..] : code;

    private static bool IsCorrection(string code) => code.StartsWith("RE_", StringComparison.Ordinal);

    private static bool IsCancellation(string code) => code.StartsWith("AN_", StringComparison.Ordinal);

    private static StayEvent? LatestValid(HospitalStay stay, string baseEvent, DateTimeOffset before) =>
        stay.Events
            .Where(e => e.BaseEvent == baseEvent && !e.Cancelled && !e.Replaced && !IsCancellation(e.EventCode) && e.OccurredAt <= before)
            .OrderBy(e => e.OccurredAt)
            .LastOrDefault();

    /// <summary>When the event happened in the stay; the notification's own time when the message does not say.</summary>
    private static DateTimeOffset EffectiveTime(string baseEvent, HospitalNotification n) => baseEvent switch
    {
        "STIN" or "STAA" => n.StayStart ?? n.OccurredAt,
        "STOR" => n.LeaveStart ?? n.OccurredAt,
        "SLOR" => n.LeaveEnd ?? n.OccurredAt,
        "SLHJ" or "MORS" => n.StayEnd ?? n.OccurredAt,
        _ => n.OccurredAt,
    };
}

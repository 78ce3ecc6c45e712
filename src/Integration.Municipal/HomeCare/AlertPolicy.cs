using Integration.Contracts;
using Integration.Persistence.Stays;

namespace Integration.Municipal.HomeCare;

/// <summary>Which home-care alert a change of stay state means (none when the state did not change).</summary>
internal static class AlertPolicy
{
    public static HomeCareAlertKind? For(StayState? before, StayState after)
    {
        if (before == after)
        {
            return null;
        }

        return after switch
        {
            StayState.Admitted when before == StayState.OnLeave => HomeCareAlertKind.LeaveEnded,
            StayState.Admitted => HomeCareAlertKind.Admitted,
            StayState.AcuteAmbulant => HomeCareAlertKind.AcuteAmbulant,
            StayState.OnLeave => HomeCareAlertKind.LeaveStarted,
            StayState.Discharged => HomeCareAlertKind.Discharged,
            StayState.Deceased => HomeCareAlertKind.Deceased,
            StayState.Cancelled => HomeCareAlertKind.AdmissionCancelled,
            _ => null,
        };
    }
}

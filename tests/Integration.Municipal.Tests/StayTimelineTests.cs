using Integration.Contracts;
using Integration.Fhir;
using Integration.Municipal.HomeCare;
using Integration.Municipal.Stays;
using Integration.Persistence.Stays;

namespace Integration.Municipal.Tests;

[Trait("Category", "Unit")]
public sealed class StayTimelineTests
{
    private static readonly DateTimeOffset Admission = new(2022, 12, 7, 12, 0, 0, TimeSpan.FromHours(2));
    private static readonly NotificationEvent[] Story = [NotificationEvent.STIN, NotificationEvent.STOR, NotificationEvent.SLOR, NotificationEvent.SLHJ];

    [Fact]
    public void GivenAdmissionLeaveReturnDischarge_WhenAppliedInOrder_ThenEachStepHasItsState()
    {
        var stay = NewStay();
        var states = new List<StayState>();
        foreach (var e in Story)
        {
            StayTimeline.Record(stay, Notification(e), Admission);
            states.Add(stay.State);
        }

        Assert.Equal([StayState.Admitted, StayState.OnLeave, StayState.Admitted, StayState.Discharged], states);
        Assert.Equal(Admission, stay.StartedAt);
        Assert.Equal(Admission.AddDays(11), stay.EndedAt);
    }

    [Theory]
    [InlineData(new[] { 3, 0, 1, 2 })]
    [InlineData(new[] { 3, 2, 1, 0 })]
    [InlineData(new[] { 1, 3, 0, 2 })]
    public void GivenTheSameNotificationsInAnyOrder_WhenApplied_ThenTheStayEndsDischargedWithEveryEventKept(int[] order)
    {
        var stay = NewStay();
        foreach (var index in order)
        {
            StayTimeline.Record(stay, Notification(Story[index]), Admission);
        }

        Assert.Equal(StayState.Discharged, stay.State);
        Assert.Equal(4, stay.Events.Count);
        Assert.Equal(Admission, stay.StartedAt);
    }

    [Fact]
    public void GivenLeave_WhenCancelled_ThenTheStayIsAdmittedAgain()
    {
        var stay = NewStay();
        StayTimeline.Record(stay, Notification(NotificationEvent.STIN), Admission);
        StayTimeline.Record(stay, Notification(NotificationEvent.STOR), Admission);
        StayTimeline.Record(stay, Notification(NotificationEvent.AN_STOR, occurredOffsetHours: 200), Admission);

        Assert.Equal(StayState.Admitted, stay.State);
        Assert.True(stay.Events.Single(e => e.EventCode == "STOR").Cancelled);
    }

    [Fact]
    public void GivenAdmission_WhenCancelled_ThenTheStayIsCancelled()
    {
        var stay = NewStay();
        StayTimeline.Record(stay, Notification(NotificationEvent.STIN), Admission);
        StayTimeline.Record(stay, Notification(NotificationEvent.AN_STIN, occurredOffsetHours: 3), Admission);

        Assert.Equal(StayState.Cancelled, stay.State);
    }

    [Fact]
    public void GivenCancellationBeforeItsAdmission_WhenTheAdmissionArrives_ThenTheStayStaysCancelled()
    {
        var stay = NewStay();
        StayTimeline.Record(stay, Notification(NotificationEvent.AN_STIN, occurredOffsetHours: 3), Admission);
        StayTimeline.Record(stay, Notification(NotificationEvent.STIN), Admission);

        Assert.Equal(StayState.Cancelled, stay.State);
    }

    [Fact]
    public void GivenAdmission_WhenCorrected_ThenTheCorrectionReplacesItAndTheStayIsMarkedCorrected()
    {
        var stay = NewStay();
        StayTimeline.Record(stay, Notification(NotificationEvent.STIN), Admission);
        var corrected = Notification(NotificationEvent.RE_STIN, occurredOffsetHours: 2) with { StayStart = Admission.AddHours(1) };
        StayTimeline.Record(stay, corrected, Admission);

        Assert.Equal(StayState.Admitted, stay.State);
        Assert.True(stay.Corrected);
        Assert.Equal(Admission.AddHours(1), stay.StartedAt);
        Assert.True(stay.Events.Single(e => e.EventCode == "STIN").Replaced);
    }

    [Fact]
    public void GivenDeath_WhenApplied_ThenDeceased()
    {
        var stay = NewStay();
        StayTimeline.Record(stay, Notification(NotificationEvent.STIN), Admission);
        StayTimeline.Record(stay, Notification(NotificationEvent.MORS) with { StayEnd = Admission.AddDays(2) }, Admission);

        Assert.Equal(StayState.Deceased, stay.State);
        Assert.Equal(Admission.AddDays(2), stay.EndedAt);
    }

    [Theory]
    [InlineData(null, StayState.Admitted, HomeCareAlertKind.Admitted)]
    [InlineData(StayState.Admitted, StayState.OnLeave, HomeCareAlertKind.LeaveStarted)]
    [InlineData(StayState.OnLeave, StayState.Admitted, HomeCareAlertKind.LeaveEnded)]
    [InlineData(StayState.Admitted, StayState.Discharged, HomeCareAlertKind.Discharged)]
    [InlineData(StayState.AcuteAmbulant, StayState.Deceased, HomeCareAlertKind.Deceased)]
    [InlineData(StayState.Admitted, StayState.Cancelled, HomeCareAlertKind.AdmissionCancelled)]
    [InlineData(null, StayState.AcuteAmbulant, HomeCareAlertKind.AcuteAmbulant)]
    public void GivenAStateChange_WhenAlertPolicyIsAsked_ThenItNamesTheAlert(StayState? before, StayState after, HomeCareAlertKind expected) =>
        Assert.Equal(expected, AlertPolicy.For(before, after));

    [Fact]
    public void GivenNoStateChange_WhenAlertPolicyIsAsked_ThenNoAlert() =>
        Assert.Null(AlertPolicy.For(StayState.Admitted, StayState.Admitted));

    private static HospitalStay NewStay() => new()
    {
        Id = Guid.NewGuid(),
        MunicipalityCode = "163",
        CitizenKey = "key",
        CitizenCpr = "0101010000",
        StayIdentifier = "stay",
        HospitalName = "hospital",
        EncounterClass = "IMP",
    };

    /// <summary>A notification at the time MedCom's story gives its event (admission, leave day 6, return day 7, discharge day 11).</summary>
    private static HospitalNotification Notification(NotificationEvent e, int occurredOffsetHours = 0)
    {
        var baseEvent = e.ToString().Replace("RE_", "", StringComparison.Ordinal).Replace("AN_", "", StringComparison.Ordinal);
        var at = baseEvent switch
        {
            "STOR" => Admission.AddDays(6),
            "SLOR" => Admission.AddDays(7),
            "SLHJ" or "MORS" => Admission.AddDays(11),
            _ => Admission,
        };
        return new HospitalNotification
        {
            MessageHeaderId = Guid.NewGuid().ToString(),
            Event = e,
            ActivityCode = "test",
            OccurredAt = at.AddHours(occurredOffsetHours).AddSeconds(2),
            CitizenCpr = "0101010000",
            StayIdentifier = "stay",
            EncounterClass = "IMP",
            EncounterStatus = "in-progress",
            StayStart = Admission,
            StayEnd = baseEvent is "SLHJ" or "MORS" ? at : null,
            LeaveStart = baseEvent is "STOR" or "SLOR" ? Admission.AddDays(6) : null,
            LeaveEnd = baseEvent == "SLOR" ? Admission.AddDays(7) : null,
        };
    }
}

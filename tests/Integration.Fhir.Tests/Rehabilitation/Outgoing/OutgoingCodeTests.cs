using Integration.Fhir.Rehabilitation.Outgoing;
using Integration.Fhir.Validation.Rules;

namespace Integration.Fhir.Tests.Rehabilitation.Outgoing;

/// <summary>The code tables of the outgoing messages: one code per enum value, no code twice, and the activities the
/// validator accepts are exactly the ones the factories write.</summary>
public sealed class OutgoingCodeTests
{
    [Fact]
    public void GivenEveryStatus_WhenLookedUp_ThenItHasOneActivityAndOneEpisodeOfCareStatus()
    {
        Assert.Equal(Enum.GetValues<EpisodeStatus>(), OutgoingCodes.Statuses.Select(s => s.Status).Order());
        Assert.Equal(OutgoingCodes.Statuses.Count, OutgoingCodes.Statuses.Select(s => s.Activity).Distinct().Count());
        Assert.Equal(OutgoingCodes.Statuses.Count, OutgoingCodes.Statuses.Select(s => s.EpisodeOfCareStatus).Distinct().Count());
        Assert.All(Enum.GetValues<EpisodeStatus>(), s => Assert.Equal(s, OutgoingCodes.StatusOfActivity(OutgoingCodes.ActivityOf(s))));
    }

    [Fact]
    public void GivenEveryOutcomeAndLegalBasis_WhenLookedUp_ThenTheCodeLeadsBack()
    {
        Assert.All(Enum.GetValues<EpisodeOutcome>(), o => Assert.Equal(o, OutgoingCodes.OutcomeOf(OutgoingCodes.CodeOf(o).Code)));
        Assert.All(Enum.GetValues<ServiceLegalBasis>(), b => Assert.Equal(b, OutgoingCodes.LegalBasisOf(OutgoingCodes.CodeOf(b).Code)));
        Assert.Equal(Enum.GetValues<EpisodeOutcome>().Length, OutgoingCodes.OutcomeCodes.Count);
        Assert.Equal(Enum.GetValues<ServiceLegalBasis>().Length, OutgoingCodes.LegalBasisCodes.Count);
    }

    [Fact]
    public void GivenTheValidatorsCodeLists_WhenComparedWithTheFactories_ThenTheyAgree()
    {
        Assert.True(MedComCodeLists.EpisodeStatusActivities.SetEquals(OutgoingCodes.Statuses.Select(s => s.Activity)));
        Assert.True(MedComCodeLists.AdmissionReportActivities.SetEquals([OutgoingCodes.AdmissionReportActivity]));
        Assert.True(MedComCodeLists.HubActivityCodes.IsSupersetOf([.. MedComCodeLists.EpisodeStatusActivities, .. MedComCodeLists.AdmissionReportActivities]));
        Assert.True(MedComCodeLists.HubEventCodes.IsSupersetOf([MedComCodeLists.EpisodeStatusEvent, MedComCodeLists.AdmissionReportEvent]));
        Assert.False(MedComCodeLists.EventCodes.Contains(MedComCodeLists.EpisodeStatusEvent), "MedCom's event codes are the package's; the hub's are apart");
    }
}

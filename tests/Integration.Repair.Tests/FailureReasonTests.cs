using Integration.Persistence.Messages;

namespace Integration.Repair.Tests;

public sealed class FailureReasonTests
{
    [Fact]
    public void GivenBrokenRules_WhenClassified_ThenTheFirstRuleIdIsTheReason()
    {
        var reason = FailureReason.Of("2 MedCom rule(s) broken: hub-ean-check-digit at Bundle.entry[3].resource.identifier[1]; medcom-core-1 at Bundle", "MSG_ID_INVALID");

        Assert.Equal(new FailureReason(FailureReason.Rule, "hub-ean-check-digit"), reason);
        Assert.Equal("failed.rule.hub-ean-check-digit", reason.KeyFor(MessageState.Failed));
    }

    [Fact]
    public void GivenParkedForAnUnknownReceiver_WhenClassified_ThenTheAcknowledgementsIssueCodeIsTheReasonNotTheText()
    {
        var reason = FailureReason.Of("No partner with EAN 5790000000005 / SOR 999999999999999 is known to the hub.", "MSG_Receiver_Identifier_UNKNOWN");

        Assert.Equal("parked.medcom.MSG_Receiver_Identifier_UNKNOWN", reason.KeyFor(MessageState.Parked));
    }

    [Fact]
    public void GivenTechnicalFault_WhenClassified_ThenTheExceptionTypeIsTheReason()
    {
        var reason = FailureReason.Of("technical fault: Npgsql.NpgsqlException", "MSG_MAILBOX_OUT_OF_OPERATION");

        Assert.Equal(new FailureReason(FailureReason.Technical, "Npgsql.NpgsqlException"), reason);
    }

    [Fact]
    public void GivenMunicipalRejectionWithoutAcknowledgement_WhenClassified_ThenItsFirstIssueCodeIsTheReason()
    {
        Assert.Equal(new FailureReason(FailureReason.MedCom, "MSG_Datatype_Wrong"), FailureReason.Of("MSG_Datatype_Wrong at Bundle.entry.resource.ofType(Patient).identifier", null));
    }

    [Fact]
    public void GivenFreeTextWithACprNumber_WhenClassified_ThenTheReasonIsUnclassifiedAndCarriesNoText()
    {
        var reason = FailureReason.Of("Patient 2509479989 could not be read", null);

        Assert.Equal("failed.other.unclassified", reason.KeyFor(MessageState.Failed));
    }

    [Theory]
    [InlineData("parked.medcom.MSG_Receiver_Identifier_UNKNOWN", MessageState.Parked, "medcom", "MSG_Receiver_Identifier_UNKNOWN")]
    [InlineData("failed.technical.System.InvalidOperationException", MessageState.Failed, "technical", "System.InvalidOperationException")]
    public void GivenGroupKey_WhenParsed_ThenStateAndReasonComeBack(string key, MessageState state, string kind, string code)
    {
        var parsed = FailureReason.ParseKey(key);

        Assert.Equal((state, new FailureReason(kind, code)), parsed);
        Assert.Equal(key, parsed!.Value.Reason.KeyFor(parsed.Value.State));
    }

    [Theory]
    [InlineData("processed.medcom.MSG_X")]
    [InlineData("parked.guess.MSG_X")]
    [InlineData("parked.medcom")]
    [InlineData("parked.medcom.has space")]
    public void GivenSomethingElse_WhenParsedAsGroupKey_ThenNull(string key) => Assert.Null(FailureReason.ParseKey(key));
}

using Hl7.Fhir.Model;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Validation.Rules;

/// <summary>Acknowledgement 2.0.3: MessageHeader.response (1..1) and, unless the code is ok, the OperationOutcome that
/// explains it (medcom-acknowledgement-1).</summary>
internal static class AcknowledgementRules
{
    public static void Check(MessageContext message, IssueList issues)
    {
        const string path = MessageContext.HeaderPath + ".response";
        var response = message.Header.Response;
        if (response is null)
        {
            issues.Error(HubRules.AckResponse, path, "An Acknowledgement has MessageHeader.response.");
            return;
        }

        if (string.IsNullOrWhiteSpace(response.Identifier))
        {
            issues.Error(HubRules.AckResponse, path + ".identifier", "MessageHeader.response.identifier is missing.");
        }

        if (response.Code is null)
        {
            issues.Error(HubRules.AckResponse, path + ".code", "MessageHeader.response.code is missing.");
        }
        else if (response.Code != MessageHeader.ResponseType.Ok && message.Resolve<OperationOutcome>(response.Details).Resource is null)
        {
            issues.Error(HubRules.AckOutcome, path + ".details",
                "A response other than ok references an OperationOutcome in the Bundle from response.details.");
        }

        foreach (var (outcome, outcomePath) in message.All<OperationOutcome>())
        {
            CheckIssueCodes(outcome, outcomePath, issues);
        }
    }

    /// <summary>MedCom binds the detail codes (required) yet allows self-defined issue descriptions; the hub warns.</summary>
    private static void CheckIssueCodes(OperationOutcome outcome, string path, IssueList issues)
    {
        for (var i = 0; i < outcome.Issue.Count; i++)
        {
            var codings = outcome.Issue[i].Details?.Coding ?? [];
            for (var j = 0; j < codings.Count; j++)
            {
                if (!IsKnown(codings[j]))
                {
                    issues.Warning(HubRules.AckIssueCode, Invariant($"{path}.issue[{i}].details.coding[{j}]"),
                        "The issue detail code is not in ValueSet medcom-acknowledgement-issue-details.");
                }
            }
        }
    }

    private static bool IsKnown(Coding coding) => coding.Code is { } code && coding.System switch
    {
        MedComCodeLists.AcknowledgementErrorCodeSystem => MedComIssueCodes.IsMedComCode(code),
        MedComCodeLists.OperationOutcomeCodeSystem => MedComCodeLists.AcknowledgementHl7IssueCodes.Contains(code),
        _ => false,
    };
}

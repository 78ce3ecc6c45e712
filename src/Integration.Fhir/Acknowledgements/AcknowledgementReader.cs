using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using Integration.Fhir.Messaging;
using Integration.Fhir.Parsing;
using static Integration.Fhir.Messaging.MessageBundle;

namespace Integration.Fhir.Acknowledgements;

/// <summary>Reads a MedCom Acknowledgement a partner sent: what it answers (MessageHeader.response.identifier), how
/// (response.code) and why (the OperationOutcome that response.details names). Lenient about the OperationOutcome,
/// because an acknowledgement that cannot be matched is lost to the sender: only a missing response is an error.</summary>
internal sealed class AcknowledgementReader(SafeFhirDeserializer deserializer) : IAcknowledgementReader
{
    private const string HeaderPath = "Bundle.entry[0].resource";

    public ReceivedAcknowledgementResult Read(string fhirJson)
    {
        ArgumentNullException.ThrowIfNull(fhirJson);
        return TypedMessageLoader.Guarded(() => ReadCore(fhirJson), issue => new ReceivedAcknowledgementResult(null, [issue]));
    }

    private ReceivedAcknowledgementResult ReadCore(string fhirJson)
    {
        if (TypedMessageLoader.TryLoad(deserializer, fhirJson, MedComUrls.AcknowledgementEvent, "an acknowledgement", out var bundle, out var header) is { } notLoaded)
        {
            return new ReceivedAcknowledgementResult(null, [notLoaded]);
        }

        if (header.Response is not { } response)
        {
            return Failed(MedComIssueCodes.DatatypeWrong, "MessageHeader.response is missing.", HeaderPath + ".response");
        }

        var errors = new List<MedComIssue>();
        var respondsTo = response.Identifier?.Trim();
        if (string.IsNullOrEmpty(respondsTo))
        {
            errors.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "MessageHeader.response.identifier (the acknowledged MessageHeader.id) is missing.", HeaderPath + ".response.identifier"));
        }

        AcknowledgementCode? code = response.Code switch
        {
            MessageHeader.ResponseType.Ok => AcknowledgementCode.Ok,
            MessageHeader.ResponseType.TransientError => AcknowledgementCode.TransientError,
            MessageHeader.ResponseType.FatalError => AcknowledgementCode.FatalError,
            _ => null,
        };
        if (code is null)
        {
            errors.Add(new MedComIssue(MedComIssueCodes.DatatypeWrong,
                "MessageHeader.response.code is missing.", HeaderPath + ".response.code"));
        }

        if (errors.Count > 0)
        {
            return new ReceivedAcknowledgementResult(null, errors);
        }

        var outcome = Resolve<OperationOutcome>(bundle, response.Details);
        var issues = outcome?.Issue.Select(ToMedComIssue).ToList() ?? [];
        return new ReceivedAcknowledgementResult(new ReceivedAcknowledgement(respondsTo!, code!.Value, issues), []);
    }

    /// <summary>The issue's code is its detail code, preferring MedCom's error codes, then HL7's operation-outcome codes,
    /// then any; an issue without one (MedCom's test example 3.3.3.4 has only a text) gets its FHIR issue type.</summary>
    private static MedComIssue ToMedComIssue(OperationOutcome.IssueComponent issue)
    {
        var codings = issue.Details?.Coding ?? [];
        var coding = codings.FirstOrDefault(c => c.System == MedComUrls.AcknowledgementErrorCodes && !string.IsNullOrEmpty(c.Code))
                     ?? codings.FirstOrDefault(c => c.System == MedComUrls.Hl7OperationOutcomeCodes && !string.IsNullOrEmpty(c.Code))
                     ?? codings.FirstOrDefault(c => !string.IsNullOrEmpty(c.Code));
        var code = coding?.Code ?? issue.Code?.GetLiteral() ?? "unknown";
        var text = FirstNonBlank(issue.Details?.Text, issue.Diagnostics, coding?.Display) ?? "";
        var path = FirstNonBlank([.. issue.Expression, .. issue.Location]);
        return new MedComIssue(code, text, path);
    }

    private static string? FirstNonBlank(params IEnumerable<string?> values) =>
        values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static ReceivedAcknowledgementResult Failed(string code, string text, string? path) =>
        new(null, [new MedComIssue(code, text, path)]);
}

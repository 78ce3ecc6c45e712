using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Utility;

namespace Integration.Fhir.Outcomes;

/// <summary>Plain FHIR OperationOutcome JSON for HTTP answers.</summary>
internal sealed class OperationOutcomeWriter : IOperationOutcomeWriter
{
    public string Write(string severity, string code, string diagnostics, string? location = null)
    {
        ArgumentNullException.ThrowIfNull(severity);
        ArgumentNullException.ThrowIfNull(code);
        var issue = new OperationOutcome.IssueComponent
        {
            Severity = EnumUtility.ParseLiteral<OperationOutcome.IssueSeverity>(severity)
                       ?? throw new ArgumentException($"'{severity}' is not a FHIR issue severity.", nameof(severity)),
            Code = EnumUtility.ParseLiteral<OperationOutcome.IssueType>(code)
                   ?? throw new ArgumentException($"'{code}' is not a FHIR issue type.", nameof(code)),
            Diagnostics = string.IsNullOrWhiteSpace(diagnostics) ? null : diagnostics,
        };
        if (!string.IsNullOrWhiteSpace(location))
        {
            issue.ExpressionElement.Add(new FhirString(location));
        }

        return FhirJsonSerializer.Default.SerializeToString(new OperationOutcome { Issue = [issue] });
    }
}

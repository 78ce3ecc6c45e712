namespace Integration.Fhir;

/// <summary>From a validation report to the issues of a fatal-error acknowledgement.</summary>
public static class ValidationIssueExtensions
{
    /// <summary>The acknowledgement issue for a broken rule: MedCom issue detail code, text, element path and rule name.</summary>
    public static MedComIssue ToMedComIssue(this ValidationIssue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        return new MedComIssue(issue.MedComCode, issue.Text, issue.Path, issue.Rule);
    }

    /// <summary>The errors of a report as acknowledgement issues (warnings do not reject, so they are left out).</summary>
    public static IReadOnlyList<MedComIssue> ToMedComIssues(this ValidationReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. report.Errors.Select(ToMedComIssue)];
    }
}

using Integration.Fhir.Validation.Rules;

namespace Integration.Fhir.Validation;

/// <summary>Collects the issues of one validation. Texts never quote values from the message (a value in the wrong place
/// may be a CPR number); the path says where.</summary>
internal sealed class IssueList
{
    // A hostile message can break a rule thousands of times. Past these limits further issues are dropped: warnings
    // first, and errors only once there are already so many that the message is rejected anyway.
    private const int MaxWarnings = 100;
    private const int MaxErrors = 1000;

    private readonly List<ValidationIssue> issues = [];
    private int warnings;
    private int errors;

    public IReadOnlyList<ValidationIssue> Items => issues;

    public void Error(HubRule rule, string path, string text) =>
        Add(new ValidationIssue(ValidationSeverity.Error, rule.Name, path, rule.MedComCode, text));

    /// <summary>A violation of <paramref name="rule"/> reported with a more specific issue code than the rule's default.</summary>
    public void Error(HubRule rule, string code, string path, string text) =>
        Add(new ValidationIssue(ValidationSeverity.Error, rule.Name, path, code, text));

    public void Warning(HubRule rule, string path, string text) =>
        Add(new ValidationIssue(ValidationSeverity.Warning, rule.Name, path, rule.MedComCode, text));

    public void Add(ValidationIssue issue)
    {
        var kept = issue.Severity == ValidationSeverity.Error ? errors++ < MaxErrors : warnings++ < MaxWarnings;
        if (kept)
        {
            issues.Add(issue);
        }
    }
}

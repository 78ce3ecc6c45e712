namespace Integration.Persistence.Operations;

/// <summary>
/// One thing a person did through the dashboard or API that changes the flow or reveals personal data: retry, discard,
/// replay, showing a CPR number, signing in. Written in the same transaction as the action, never updated or deleted,
/// so the audit view is the truth about who did what, when and why.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>The signed-in user's name (or the API key's owner).</summary>
    public required string Actor { get; set; }
    /// <summary>The role the actor acted in: operator, municipal or auditor.</summary>
    public required string Role { get; set; }
    /// <summary>What was done, e.g. retry, retry-group, discard, replay, reveal-cpr, sign-in.</summary>
    public required string Action { get; set; }
    /// <summary>What it was done to: a message id, a failure group, an episode.</summary>
    public string? Target { get; set; }
    /// <summary>Why, in the actor's words; required for discard and for showing a CPR number.</summary>
    public string? Reason { get; set; }
    /// <summary>What happened as a result (never a CPR number).</summary>
    public string? Outcome { get; set; }
    /// <summary>The municipality whose data the action touched, so a municipality's auditor sees its own entries.</summary>
    public string? MunicipalityCode { get; set; }
}

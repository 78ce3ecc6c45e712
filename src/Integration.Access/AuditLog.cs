using System.Security.Claims;
using Integration.Persistence;
using Integration.Persistence.Operations;

namespace Integration.Access;

/// <summary>The names of audited actions.</summary>
public static class AuditActions
{
    public const string Retry = "retry";
    public const string RetryGroup = "retry-group";
    public const string Discard = "discard";
    public const string Replay = "replay";
    public const string RevealCpr = "reveal-cpr";
    public const string ReloadPartners = "reload-partners";
    public const string SignIn = "sign-in";
    public const string SignInFailed = "sign-in-failed";
}

/// <summary>Who acts: the signed-in principal as the audit records it.</summary>
public sealed record Actor(string Name, string Role, string? MunicipalityScope)
{
    public static Actor Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new Actor(user.ActorName(), user.ActingRole(), user.MunicipalityScope());
    }

    public bool MaySee(string? municipalityCode) => HubPrincipal.ScopeAllows(MunicipalityScope, municipalityCode);
}

/// <summary>Adds audit entries to the caller's unit of work, so an entry commits if and only if its action does.</summary>
public sealed class AuditLog(TimeProvider clock)
{
    public AuditEntry Add(HubDbContext db, Actor actor, string action, string? target, string? reason, string? outcome, string? municipalityCode)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        var entry = new AuditEntry
        {
            At = clock.GetUtcNow(),
            Actor = actor.Name,
            Role = actor.Role,
            Action = action,
            Target = target,
            Reason = reason,
            Outcome = outcome is null ? null : Privacy.Cpr.MaskInText(outcome),
            MunicipalityCode = municipalityCode,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }
}

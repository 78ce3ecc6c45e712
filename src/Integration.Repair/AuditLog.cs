using System.Security.Claims;
using Integration.Access;
using Integration.Persistence;
using Integration.Persistence.Operations;

namespace Integration.Repair;

/// <summary>The names of audited actions.</summary>
public static class AuditActions
{
    public const string Retry = "retry";
    public const string RetryGroup = "retry-group";
    public const string Discard = "discard";
    public const string Replay = "replay";
    public const string RevealCpr = "reveal-cpr";
    public const string ReloadPartners = "reload-partners";
}

/// <summary>Who acts: the signed-in principal as the audit records it.</summary>
public sealed record Actor(string Name, string Role, string? MunicipalityScope)
{
    public static Actor Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new Actor(user.ActorName(), user.ActingRole(), user.MunicipalityScope());
    }

    public bool MaySee(string? municipalityCode) => MunicipalityScope is null || string.Equals(MunicipalityScope, municipalityCode, StringComparison.Ordinal);
}

/// <summary>Adds audit entries to the caller's unit of work, so an entry commits if and only if its action does.</summary>
public sealed class AuditLog(TimeProvider clock)
{
    public AuditEntry Add(HubDbContext db, Actor actor, string action, string? target, string? reason, string outcome, string? municipalityCode)
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
            Outcome = Privacy.Cpr.MaskInText(outcome),
            MunicipalityCode = municipalityCode,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }
}

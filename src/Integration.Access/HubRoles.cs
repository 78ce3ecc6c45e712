using System.Security.Claims;

namespace Integration.Access;

/// <summary>The three kinds of people (and systems) the hub knows.</summary>
public static class HubRoles
{
    /// <summary>Keeps the flow running: sees every message, retries, discards, replays.</summary>
    public const string Operator = "operator";
    /// <summary>A municipality's user or system: sees only its own municipality's messages, citizens and episodes.</summary>
    public const string Municipal = "municipal";
    /// <summary>Reads everything, including the audit, and changes nothing.</summary>
    public const string Auditor = "auditor";
}

/// <summary>Claims the hub adds to a signed-in principal.</summary>
public static class HubClaims
{
    /// <summary>The municipality code (kommunekode, e.g. 163) a municipal principal belongs to.</summary>
    public const string Municipality = "municipality";
}

/// <summary>Authorization policies, by what they allow.</summary>
public static class HubPolicies
{
    /// <summary>Read the message flow: operators and auditors see all of it, municipal principals their own part.</summary>
    public const string ReadFlow = "read-flow";
    /// <summary>Change the flow: retry, discard, replay. Operators only.</summary>
    public const string Operate = "operate";
    /// <summary>Read the audit: auditors and operators.</summary>
    public const string ReadAudit = "read-audit";
    /// <summary>Municipal work (worklist, episodes): the municipality's own principals, and operators.</summary>
    public const string MunicipalWork = "municipal-work";
    /// <summary>What is not one municipality's business (e.g. the hub's ledger of what it sends): operators and auditors.</summary>
    public const string ReadAll = "read-all";
}

public static class HubPrincipal
{
    /// <summary>
    /// The municipality a principal is limited to, or null when it may see every municipality (operator, auditor).
    /// Queries filter on this; endpoints never trust a municipality code from the request over it.
    /// </summary>
    public static string? MunicipalityScope(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(HubRoles.Operator) || user.IsInRole(HubRoles.Auditor)
            ? null
            : user.FindFirstValue(HubClaims.Municipality) ?? NoMunicipality;
    }

    /// <summary>True when the principal may see data of this municipality.</summary>
    public static bool MaySee(this ClaimsPrincipal user, string? municipalityCode) => ScopeAllows(user.MunicipalityScope(), municipalityCode);

    /// <summary>Whether a scope (null: every municipality) covers <paramref name="municipalityCode"/>.</summary>
    public static bool ScopeAllows(string? scope, string? municipalityCode) =>
        scope is null || string.Equals(scope, municipalityCode, StringComparison.Ordinal);

    /// <summary>Name recorded in the audit.</summary>
    public static string ActorName(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identity?.Name ?? "anonymous";
    }

    /// <summary>The role recorded in the audit (the strongest the principal holds).</summary>
    public static string ActingRole(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(HubRoles.Operator) ? HubRoles.Operator
            : user.IsInRole(HubRoles.Auditor) ? HubRoles.Auditor
            : HubRoles.Municipal;
    }

    /// <summary>A scope no municipality has: a municipal principal without a municipality claim sees nothing.</summary>
    private const string NoMunicipality = "-";
}

using Integration.Access;
using Integration.Repair;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Api.Audit;

/// <summary>The audit view (issue 5): who did what, when, why, with what outcome. Auditors and operators.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/audit", (DateTimeOffset? from, DateTimeOffset? to, string? actor, string? action, int? page,
                HttpContext http, AuditQuery audit, CancellationToken ct) =>
            audit.ReadAsync(Actor.Of(http.User), new AuditFilter(from, to, actor, action, page ?? 1), ct))
            .RequireAuthorization(HubPolicies.ReadAudit);
        return endpoints;
    }
}

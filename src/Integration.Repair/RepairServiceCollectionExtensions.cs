using Integration.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Repair;

public static class RepairServiceCollectionExtensions
{
    public static IServiceCollection AddRepair(this IServiceCollection services)
    {
        services.AddSingleton<AuditLog>();
        services.AddSingleton<FailureGroups>();
        services.AddSingleton<MessageRetry>();
        services.AddSingleton<MessageDiscard>();
        services.AddSingleton<MessageReplay>();
        services.AddSingleton<CprReveal>();
        services.AddSingleton<PartnerReload>();
        services.AddSingleton<AuditQuery>();
        services.AddAuthorization(AddMissingPolicies);
        return services;
    }

    /// <summary>The hub's policies by role, for those the host has not defined itself (the host's definitions win).</summary>
    private static void AddMissingPolicies(AuthorizationOptions options)
    {
        AddIfMissing(options, HubPolicies.Operate, HubRoles.Operator);
        AddIfMissing(options, HubPolicies.ReadFlow, HubRoles.Operator, HubRoles.Auditor, HubRoles.Municipal);
        AddIfMissing(options, HubPolicies.ReadAudit, HubRoles.Operator, HubRoles.Auditor);
        AddIfMissing(options, HubPolicies.MunicipalWork, HubRoles.Operator, HubRoles.Municipal);
    }

    private static void AddIfMissing(AuthorizationOptions options, string policy, params string[] roles)
    {
        if (options.GetPolicy(policy) is null)
        {
            options.AddPolicy(policy, p => p.RequireAuthenticatedUser().RequireRole(roles));
        }
    }
}

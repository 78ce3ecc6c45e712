using Integration.Access;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Repair;

public static class RepairServiceCollectionExtensions
{
    public static IServiceCollection AddRepair(this IServiceCollection services)
    {
        services.AddSingleton<FailureGroups>();
        services.AddSingleton<MessageRetry>();
        services.AddSingleton<MessageDiscard>();
        services.AddSingleton<MessageReplay>();
        services.AddSingleton<CprReveal>();
        services.AddSingleton<PartnerReload>();
        services.AddSingleton<AuditQuery>();
        return services;
    }
}

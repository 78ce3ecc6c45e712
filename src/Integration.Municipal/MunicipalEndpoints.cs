using System.Collections.Concurrent;
using Integration.Messaging;
using Integration.Municipal.Correspondence;
using Integration.Municipal.HomeCare;
using Integration.Municipal.Stays;
using Integration.Partners;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Municipal;

/// <summary>
/// One queue per municipality, so a slow or broken municipality does not hold up the others. Inside a queue, messages
/// are partitioned by citizen: one citizen's notifications are applied one at a time, different citizens in parallel.
/// </summary>
internal sealed class MunicipalEndpoints(IPartnerRegistry partners, MunicipalQueues queues) : IHubEndpoints
{
    public void ConfigureEndpoints(IBusRegistrationContext context, IReceiveConfigurator bus, MessagingOptions options)
    {
        foreach (var code in partners.MunicipalityCodes)
        {
            queues.MarkServed(code);
            bus.ReceiveEndpoint(QueueNames.Municipality(code), e => Configure(context, e, options));
        }
    }

    public static void Configure(IRegistrationContext context, IReceiveEndpointConfigurator e, MessagingOptions options)
    {
        e.ApplyHubDefaults(options);
        e.UseMessageRetry(r => r.Intervals(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)));
        e.ConfigureConsumer<ApplyHospitalNotificationConsumer>(context, c =>
            c.Message<Contracts.ApplyHospitalNotification>(m => m.UsePartitioner(options.PartitionsPerMunicipality, x => x.Message.CitizenKey)));
        e.ConfigureConsumer<ApplyHospitalNotificationFaultConsumer>(context);
        e.ConfigureConsumer<ApplyCareCommunicationConsumer>(context, c =>
            c.Message<Contracts.ApplyCareCommunication>(m => m.UsePartitioner(options.PartitionsPerMunicipality, x => x.Message.CitizenKey)));
        e.ConfigureConsumer<ApplyCareCommunicationFaultConsumer>(context);
        e.ConfigureConsumer<Episodes.ApplyRehabilitationRequestConsumer>(context, c =>
            c.Message<Contracts.ApplyRehabilitationRequest>(m => m.UsePartitioner(options.PartitionsPerMunicipality, x => x.Message.CitizenKey)));
        e.ConfigureConsumer<Episodes.ApplyRehabilitationRequestFaultConsumer>(context);
    }
}

/// <summary>
/// Which municipalities have their queue and handlers. The bus makes them at start for the registry's municipalities; a
/// municipality that a reload of the registry adds gets its queue connected to the running bus (<see cref="ConnectNewAsync"/>).
/// </summary>
public sealed class MunicipalQueues(IPartnerRegistry partners, IServiceProvider services)
{
    // The connector is resolved when needed, not injected: this class is built while the bus itself is being configured.
    private readonly ConcurrentDictionary<string, bool> _served = new(StringComparer.Ordinal);

    internal void MarkServed(string municipalityCode) => _served.TryAdd(municipalityCode, true);

    /// <returns>The municipality codes whose queues were connected now.</returns>
    public async Task<IReadOnlyList<string>> ConnectNewAsync(CancellationToken cancellationToken)
    {
        var connected = new List<string>();
        var connector = services.GetRequiredService<IReceiveEndpointConnector>();
        var options = services.GetRequiredService<MessagingOptions>();
        foreach (var code in partners.MunicipalityCodes.Where(c => _served.TryAdd(c, true)))
        {
            var handle = connector.ConnectReceiveEndpoint(QueueNames.Municipality(code), (context, e) => MunicipalEndpoints.Configure(context, e, options));
            await handle.Ready.WaitAsync(cancellationToken);
            connected.Add(code);
        }

        return connected;
    }
}

public static class MunicipalServiceCollectionExtensions
{
    public static IServiceCollection AddMunicipal(this IServiceCollection services, MunicipalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton<MunicipalQueues>();
        services.AddSingleton<HospitalNotificationHandler>();
        services.AddSingleton<CareCommunicationHandler>();
        services.AddSingleton<TechnicalFailure>();
        services.AddSingleton<Episodes.MunicipalWorklist>();
        services.AddSingleton<Episodes.EpisodeStatusSender>();
        services.AddSingleton<Episodes.CitizensGeneralPractice>();
        services.AddSingleton(provider => options.OrganisationFile is { } file
            ? Episodes.MunicipalOrganisationFile.Load(file, provider.GetRequiredService<IPartnerRegistry>())
            : Rehabilitation.ResponsibilityPolicies.None);
        services.AddSingleton<Episodes.StayEffectsOnEpisodes>();
        services.AddSingleton<AdmissionReportSender>();
        services.AddSingleton<Episodes.EpisodeActions>();
        services.AddHostedService<Episodes.StartDeadlineCheck>();
        services.AddSingleton<Episodes.RehabilitationRequestHandler>();
        services.AddSingleton<IHubEndpoints, MunicipalEndpoints>();
        services.AddHostedService<HomeCareCitizenSeeder>();
        return services;
    }

    public static void AddMunicipalConsumers(this IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<ApplyHospitalNotificationConsumer>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<ApplyHospitalNotificationFaultConsumer>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<ApplyCareCommunicationConsumer>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<ApplyCareCommunicationFaultConsumer>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<Episodes.ApplyRehabilitationRequestConsumer>().ExcludeFromConfigureEndpoints();
        bus.AddConsumer<Episodes.ApplyRehabilitationRequestFaultConsumer>().ExcludeFromConfigureEndpoints();
    }
}

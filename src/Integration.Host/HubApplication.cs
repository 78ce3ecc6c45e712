using Integration.Access;
using Integration.Access.Users;
using Integration.Api.Audit;
using Integration.Api.Dashboard;
using Integration.Api.Episodes;
using Integration.Api.Ledger;
using Integration.Api.Messages;
using Integration.Api.Repair;
using Integration.Dashboard;
using Integration.Ingress;
using Integration.Messaging;
using Integration.Monitoring;
using Integration.Municipal;
using Integration.Outbound;
using Integration.Outbound.Ledger;
using Integration.Partners;
using Integration.Persistence;
using Integration.Privacy;
using Integration.Repair;
using Integration.Routing;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Integration.Host;

/// <summary>Builds the hub: one extension method per area. Tests build it the same way with other configuration.</summary>
public static partial class HubApplication
{
    /// <summary>A log line as text: time, level, message and its properties (JSON lines with Logging:Json).</summary>
    private const string LineTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {Properties:j}{NewLine}{Exception}";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Settings and embedded files come from beside the binary, wherever the process is started from.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        var configuration = builder.Configuration;

        builder.Services.AddSerilog((services, logger) =>
        {
            logger.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("MassTransit", Serilog.Events.LogEventLevel.Warning)
                // Every HTTP delivery logged four lines at Information (bench: 6 of 10 lines per message), saying nothing the trace does not.
                .MinimumLevel.Override("System.Net.Http", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Polly", Serilog.Events.LogEventLevel.Warning)
                .Enrich.FromLogContext();
            // The console is never written inline: every consumer took the console sink's lock for each line, and under
            // load the hub spent ~6 % of its busy time waiting for it (docs/performance.md). Redirected output (a service,
            // a container, the bench) is written in batches of up to 200 ms, one write each (BatchedConsoleSink; at most
            // 100,000 lines wait, more are dropped and counted in Serilog's SelfLog); an interactive console keeps the
            // coloured console sink on a background thread (blockWhenFull: a full buffer slows the writers down).
            var json = configuration.GetValue<bool>("Logging:Json");
            if (Console.IsOutputRedirected)
            {
                ITextFormatter formatter = json ? new CompactJsonFormatter() : new MessageTemplateTextFormatter(LineTemplate);
                logger.WriteTo.Sink(new BatchedConsoleSink(formatter, Console.OpenStandardOutput()), BatchedConsoleSink.Batching());
            }
            else
            {
                logger.WriteTo.Async(
                    console =>
                    {
                        if (json)
                        {
                            console.Console(new CompactJsonFormatter());
                        }
                        else
                        {
                            console.Console(outputTemplate: LineTemplate);
                        }
                    },
                    blockWhenFull: true);
            }

            foreach (var sink in services.GetServices<Serilog.Core.ILogEventSink>())
            {
                logger.WriteTo.Sink(sink); // extra sinks (tests capture every log event this way)
            }
        }, preserveStaticLogger: true); // each hub keeps its own logger: several hubs can share one process (tests), and the static Log.Logger would send one hub's events to another's sinks

        builder.Services.TryAddSingleton(TimeProvider.System); // tests may bring their own clock
        // Enums as their names in the API (episode states, outcomes, legal bases), both ways.
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddSingleton(new CitizenKeys(configuration["Privacy:CitizenKeySecret"]
            ?? throw new InvalidOperationException("Privacy:CitizenKeySecret is not set.")));

        // Order matters for hosted services: the schema exists before the seeder and the bus start.
        builder.Services.AddHubDatabase(configuration.GetSection("Database").Get<PersistenceOptions>() ?? new PersistenceOptions());
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.Parser);
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.HospitalNotificationReader);
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.AcknowledgementFactory);
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.OperationOutcomeWriter);
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.CareCommunicationReader);
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.AcknowledgementReader);
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.MessageReenveloper);
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.MessageReaddresser);
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.TrainingPlanReader);
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.ReferralReader);
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.EpisodeStatusFactory);
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.AdmissionReportFactory);
        builder.Services.AddSingleton(Integration.Fhir.FhirServices.EpisodeOfCareWriter);
        // MedCom's profile packages are not shipped: point Validation:PackagesFolder at them for their invariants and
        // terminology; without it the validator keeps the rules it has built in.
        var validation = Integration.Fhir.FhirServices.LoadValidator(
            configuration["Validation:PackagesFolder"] is { Length: > 0 } packages ? ResolvePath(packages) : null);
        builder.Services.AddSingleton(validation.Validator);
        // Read again on an operator's request (POST /api/repair/partners/reload): see docs/adr/0007-repair.md.
        builder.Services.AddSingleton<IPartnerRegistry>(new PartnerFileRegistry(ResolvePath(configuration["Partners:File"] ?? "embedded/partners.json")));
        builder.Services.AddMunicipal(new MunicipalOptions
        {
            HomeCareCitizensFile = configuration["Municipal:HomeCareCitizensFile"] is { Length: > 0 } file ? ResolvePath(file) : null,
            OrganisationFile = configuration["Municipal:OrganisationFile"] is { Length: > 0 } organisation ? ResolvePath(organisation) : null,
        });
        builder.Services.AddIngress();
        builder.Services.AddMessageRouting();
        builder.Services.AddRepair();
        builder.Services.AddOutbound(configuration.GetSection("Ledger").Get<LedgerOptions>() ?? new LedgerOptions());
        builder.Services.AddHubMessaging(configuration.GetSection("Messaging").Get<MessagingOptions>() ?? new MessagingOptions(), bus =>
        {
            bus.AddRoutingConsumers();
            bus.AddMunicipalConsumers();
            bus.AddOutboundConsumers();
        });
        builder.Services.AddHubAccess(UserFile.Load(ResolvePath(configuration["Access:UsersFile"] ?? "embedded/users.json")));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.Services.AddMonitoring(configuration.GetSection("Dashboard").Get<DashboardOptions>() ?? new DashboardOptions());

        var app = builder.Build();
        // Read now, not at the first plan: a broken organisation file stops the start instead of failing messages.
        app.Services.GetRequiredService<Integration.Rehabilitation.ResponsibilityPolicies>();
        var validationSummary = validation.Description.Summary();
        LogValidation(app.Logger, validationSummary);
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseCrossSiteRequestGuard();
        app.MapSignIn();
        app.MapDashboardPages();
        app.MapFhirIngress();
        // Every API needs a signed-in person or a system's key; what each may see is scoped inside (municipality).
        var flow = app.MapGroup("").RequireAuthorization(HubPolicies.ReadFlow);
        flow.MapMessageTrace();
        flow.MapMessageSearch();
        flow.MapDashboard();
        flow.MapCprReveal(); // audited, scoped to the message's municipality
        flow.MapRepair(); // reading groups is ReadFlow; the actions require Operate
        app.MapGroup("").RequireAuthorization(HubPolicies.ReadAudit).MapAudit();
        app.MapGroup("").RequireAuthorization(HubPolicies.ReadAll).MapSentMessages();
        var municipal = app.MapGroup("").RequireAuthorization(HubPolicies.MunicipalWork).RequireOwnMunicipality();
        municipal.MapMunicipalWorklist();
        municipal.MapEpisodes();
        app.MapEpisodeOfCare(); // answers 401/404 as FHIR OperationOutcomes itself
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = HealthReportWriter.WriteAsync });
        // MassTransit registers its bus check with the "ready" tag: ready = database and broker both answer.
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthReportWriter.WriteAsync });
        return app;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{ValidationRules}")]
    private static partial void LogValidation(Microsoft.Extensions.Logging.ILogger logger, string validationRules);

    /// <summary>Relative paths in settings are relative to the binary (embedded files) unless they exist from the working directory.</summary>
    private static string ResolvePath(string path) =>
        Path.IsPathRooted(path) || File.Exists(path) || Directory.Exists(path) ? path : Path.Combine(AppContext.BaseDirectory, path);
}

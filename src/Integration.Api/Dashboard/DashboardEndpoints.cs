using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Integration.Access;
using Integration.Monitoring.Broker;
using Integration.Monitoring.Flow;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Integration.Api.Dashboard;

/// <summary>The dashboard's overview: the flow, the ACK ledger, the broker. Municipal principals see their own part.</summary>
public static class DashboardEndpoints
{
    private static readonly TimeSpan StreamInterval = TimeSpan.FromSeconds(2);

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        var dashboard = endpoints.MapGroup("/api/dashboard").RequireAuthorization(HubPolicies.ReadFlow);
        dashboard.MapGet("/overview", GetOverviewAsync);
        dashboard.MapGet("/broker", GetBrokerAsync);
        dashboard.MapGet("/stream", Stream);
        return endpoints;
    }

    /// <param name="range">hour (per minute), day (per 15 minutes) or week (per hour); hour when absent.</param>
    private static async Task<IResult> GetOverviewAsync(string? range, HttpContext context, FlowOverviewQuery overview, CancellationToken cancellationToken)
    {
        range ??= "hour";
        if (!FlowOverviewQuery.IsRange(range))
        {
            return Results.BadRequest(new { error = $"unknown range '{range}': hour, day or week" });
        }

        return Results.Ok(await overview.ReadAsync(range, context.User.MunicipalityScope(), cancellationToken));
    }

    private static async Task<IResult> GetBrokerAsync(HttpContext context, BrokerFigures broker, CancellationToken cancellationToken) =>
        Results.Ok(await broker.ReadAsync(context.User.MunicipalityScope(), cancellationToken));

    /// <summary>Server-sent events: an <c>overview</c> event with a <see cref="DashboardSnapshot"/> every 2 seconds.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.ServerSentEventsResult<DashboardSnapshot> Stream(HttpContext context, FlowOverviewQuery overview, TimeProvider clock, CancellationToken cancellationToken) =>
        TypedResults.ServerSentEvents(Snapshots(overview, context.User.MunicipalityScope(), clock, cancellationToken));

    private static async IAsyncEnumerable<SseItem<DashboardSnapshot>> Snapshots(
        FlowOverviewQuery overview, string? municipality, TimeProvider clock, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var hour = await overview.ReadAsync("hour", municipality, cancellationToken);
            yield return new SseItem<DashboardSnapshot>(
                new DashboardSnapshot(clock.GetUtcNow(), hour.CountedUntil, hour.Totals, hour.ErrorRate, hour.Rate, hour.Acks), "overview");
            await Task.Delay(StreamInterval, clock, cancellationToken);
        }
    }
}

/// <summary>What the page updates live: the last hour's totals and error rate, the live rate and the ACK figures.
/// When <see cref="CountedUntil"/> moves, the charts have new data (GET /api/dashboard/overview).</summary>
public sealed record DashboardSnapshot(DateTimeOffset At, DateTimeOffset? CountedUntil, FlowTotals LastHour, double? ErrorRate, FlowRate Rate, AckFigures Acks);

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Monitoring.Flow;

/// <summary>Runs the <see cref="FlowCounter"/> every <see cref="DashboardOptions.CountInterval"/> on the hub's clock.</summary>
internal sealed partial class FlowCounterService(FlowCounter counter, TimeProvider clock, DashboardOptions options, ILogger<FlowCounterService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CountInterval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await counter.CountAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogCountFailed(logger, ex); // the watermark did not move: the next tick counts the same events
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting the message flow failed; retrying at the next tick")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);
}

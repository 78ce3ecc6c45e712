using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Integration.Municipal.Episodes;

/// <summary>Checks the 7-day start deadlines at start and then every hour, so overdue plans are flagged for free choice.</summary>
public sealed partial class StartDeadlineCheck(EpisodeActions actions, ILogger<StartDeadlineCheck> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        do
        {
            try
            {
                var flagged = await actions.CheckStartDeadlinesAsync(stoppingToken);
                if (flagged > 0)
                {
                    LogFlagged(logger, flagged);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(logger, exception.GetType().Name);
            }
        }
        while (await WaitAsync(stoppingToken));
    }

    private static async Task<bool> WaitAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(Interval, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} episode(s) passed their start deadline: free choice offered")]
    private static partial void LogFlagged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Start deadline check failed ({ExceptionType}); it runs again in an hour")]
    private static partial void LogFailed(ILogger logger, string exceptionType);
}

using Gorgias.Integration.Application.Installations.RunMaintenance;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Infrastructure.Background;

/// <summary>
/// Keeps tokens fresh ahead of their callers: sends one <see cref="RunMaintenanceCommand"/> at start, then one per
/// <see cref="BackgroundRefreshOptions.Interval"/> on a <see cref="PeriodicTimer"/> driven by the injected
/// <see cref="TimeProvider"/>. What a cycle does is the use case's; this class only schedules it and logs a failed cycle.
/// </summary>
internal sealed partial class TokenMaintenanceWorker(
    IServiceScopeFactory scopes,
    IOptions<BackgroundRefreshOptions> options,
    TimeProvider time,
    ILogger<TokenMaintenanceWorker> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting: SQLite's async calls run synchronously.
        await Task.Yield();
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.Interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var report = await scope.ServiceProvider.GetRequiredService<ISender>().Send(settings.ToCommand(), stoppingToken);
                LogCycle(logger, report.Listed, report.Refreshed, report.Failed);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // A failed cycle (database unavailable, say) must not end the worker: the next one tries again.
                LogCycleFailed(logger, exception);
            }
        }
        while (await WaitForNextTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitForNextTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "Token maintenance: {Listed} accounts expiring within the window, {Refreshed} refreshed, {Failed} failed")]
    private static partial void LogCycle(ILogger logger, int listed, int refreshed, int failed);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Error, Message = "A token maintenance cycle failed; the next one runs as scheduled")]
    private static partial void LogCycleFailed(ILogger logger, Exception exception);
}

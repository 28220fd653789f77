using Gorgias.Integration.Application.Events;
using Gorgias.Integration.Application.Installations.DispatchEvents;
using Gorgias.Integration.Application.Options;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Infrastructure.Background;

/// <summary>
/// Hands received events to the host's handlers soon after they arrive: sends <see cref="DispatchEventsCommand"/> when
/// this process stored a delivery, and every <c>Gorgias:Events:PollInterval</c> for deliveries other instances stored
/// and for retries coming due. Idle when <c>Gorgias:Events:Triggers</c> is empty (the maintenance cycle still
/// dispatches what may be left).
/// </summary>
internal sealed partial class EventDispatchWorker(
    IServiceScopeFactory scopes,
    EventArrivals arrivals,
    IOptions<GorgiasEventOptions> options,
    TimeProvider time,
    ILogger<EventDispatchWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var report = await scope.ServiceProvider.GetRequiredService<ISender>().Send(new DispatchEventsCommand(), stoppingToken);
                    if (report.Handled + report.Retried + report.Parked > 0)
                    {
                        LogDispatched(logger, report.Handled, report.Retried, report.Parked);
                    }
                }

                await arrivals.WaitAsync(settings.PollInterval, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database may be away for a moment: wait one poll, then try again.
                LogFailed(logger, exception);
                try
                {
                    await Task.Delay(settings.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(EventId = 1730, Level = LogLevel.Debug, Message = "Events dispatched: {Handled} handled, {Retried} to retry, {Parked} parked")]
    private static partial void LogDispatched(ILogger logger, int handled, int retried, int parked);

    [LoggerMessage(EventId = 1731, Level = LogLevel.Error, Message = "Dispatching events failed; trying again after Gorgias:Events:PollInterval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Installations.RetryRevocations;
using Gorgias.Integration.Domain.Installations;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Infrastructure.Background;

/// <summary>
/// Keeps tokens fresh ahead of their callers: each cycle refreshes the active installations whose access token expires
/// within <see cref="BackgroundRefreshOptions.Window"/>, then retries pending revocations and purges expired pending
/// authorizations. One cycle at start, then one per
/// <see cref="BackgroundRefreshOptions.Interval"/> on a <see cref="PeriodicTimer"/> driven by the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Each account is refreshed with <see cref="RefreshTokenCommand"/> in its own DI scope, with
/// <see cref="RefreshTokenCommand.IfExpiringWithin"/> set: the refresher re-reads the store first, so two processes
/// running this worker on one database refresh an account once. Inactive installations, and failing accounts still
/// backing off, are filtered out by <see cref="IAccessQueries.ListExpiringAsync"/> in SQL (they would otherwise
/// fill every batch); healthy accounts are listed before failing ones (SECURITY.md row 43).
/// One account's failure is logged and does not stop the others.
/// </remarks>
internal sealed partial class TokenMaintenanceWorker(
    IServiceScopeFactory scopes,
    IAccessQueries accessQueries,
    IAuthorizationRequestStore authorizationRequests,
    IOptions<BackgroundRefreshOptions> options,
    TimeProvider time,
    ILogger<TokenMaintenanceWorker> logger) : BackgroundService
{
    /// <summary>Called after each cycle of <see cref="ExecuteAsync"/>, for tests.</summary>
    internal Action<TokenMaintenanceReport>? CycleCompleted { get; set; }

    /// <summary>One cycle: refreshes what expires within the window, then retries pending revocations.</summary>
    internal async Task<TokenMaintenanceReport> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var window = settings.Window;
        var now = time.GetUtcNow();
        var accounts = await accessQueries.ListExpiringAsync(now + window, now, settings.BatchSize, cancellationToken);
        var refreshed = 0;
        var failed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.MaxParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(accounts, parallel, async (account, token) =>
        {
            if (await RefreshAsync(account, window, settings.MaxJitter, token))
            {
                Interlocked.Increment(ref refreshed);
            }
            else
            {
                Interlocked.Increment(ref failed);
            }
        });

        var revocations = await RetryPendingRevocationsAsync(cancellationToken);

        // Abandoned installs must not pile up until the pending cap is hit (SECURITY.md row 37).
        var purged = await authorizationRequests.PurgeExpiredAsync(time.GetUtcNow(), cancellationToken);
        return new TokenMaintenanceReport(accounts.Count, refreshed, failed, revocations, purged);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting: SQLite's async calls run synchronously.
        await Task.Yield();
        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            try
            {
                var report = await RunOnceAsync(stoppingToken);
                LogCycle(logger, report.Listed, report.Refreshed, report.Failed);
                CycleCompleted?.Invoke(report);
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

    private async Task<bool> RefreshAsync(AccountName account, TimeSpan window, TimeSpan maxJitter, CancellationToken cancellationToken)
    {
        try
        {
            var jitter = TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * maxJitter.Ticks));
            if (jitter > TimeSpan.Zero)
            {
                await Task.Delay(jitter, time, cancellationToken);
            }

            await using var scope = scopes.CreateAsyncScope();
            var result = await scope.ServiceProvider.GetRequiredService<ISender>()
                .Send(new RefreshTokenCommand(account.Value) { IfExpiringWithin = window }, cancellationToken);
            if (result.IsSuccess)
            {
                return true;
            }

            LogRefreshFailed(logger, account.Value, result.Error.Kind.ToString(), result.Error.Code);
            return false;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogRefreshThrew(logger, account.Value, exception);
            return false;
        }
    }

    /// <summary>
    /// Sends <see cref="RetryPendingRevocationsCommand"/> when a handler for it is registered. Its handler belongs to the
    /// uninstall feature, built separately: Mediator throws at run time for a command without a handler, so until that
    /// handler exists this step is skipped rather than failing every cycle.
    /// </summary>
    private async Task<RetryPendingRevocationsResult?> RetryPendingRevocationsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        if (scope.ServiceProvider.GetService<ICommandHandler<RetryPendingRevocationsCommand, RetryPendingRevocationsResult>>() is null)
        {
            return null;
        }

        try
        {
            return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new RetryPendingRevocationsCommand(), cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogRevocationsFailed(logger, exception);
            return null;
        }
    }

    [LoggerMessage(EventId = 1400, Level = LogLevel.Debug, Message = "Token maintenance: {Listed} accounts expiring within the window, {Refreshed} refreshed, {Failed} failed")]
    private static partial void LogCycle(ILogger logger, int listed, int refreshed, int failed);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Background refresh of account {Account} failed: {Kind} ({Code})")]
    private static partial void LogRefreshFailed(ILogger logger, string account, string kind, string code);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Error, Message = "Background refresh of account {Account} threw")]
    private static partial void LogRefreshThrew(ILogger logger, string account, Exception exception);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Error, Message = "A token maintenance cycle failed; the next one runs as scheduled")]
    private static partial void LogCycleFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Error, Message = "Retrying pending revocations failed; the next cycle tries again")]
    private static partial void LogRevocationsFailed(ILogger logger, Exception exception);
}

/// <summary>What one maintenance cycle did.</summary>
/// <param name="Listed">Accounts expiring within the window (active installations only).</param>
/// <param name="Refreshed">Of those, how many now hold a token outside the window.</param>
/// <param name="Failed">Of those, how many failed (logged).</param>
/// <param name="Revocations">The revocation retry's result, or null when it did not run.</param>
/// <param name="PurgedAuthorizations">Expired pending authorizations deleted.</param>
internal sealed record TokenMaintenanceReport(int Listed, int Refreshed, int Failed, RetryPendingRevocationsResult? Revocations, int PurgedAuthorizations);

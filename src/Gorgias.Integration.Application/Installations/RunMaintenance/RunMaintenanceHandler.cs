using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Installations.DispatchEvents;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Installations.RetryRevocations;
using Gorgias.Integration.Application.Installations.SubscribeEvents;
using Gorgias.Integration.Domain.Installations;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application.Installations.RunMaintenance;

/// <summary>
/// Orchestrates the other use cases (the one use case allowed to, see the architecture rule): each expiring account is
/// refreshed with <see cref="RefreshTokenCommand"/> in its own DI scope with
/// <see cref="RefreshTokenCommand.IfExpiringWithin"/> set, so the refresher re-reads the store first and two processes
/// on one database refresh an account once. Inactive installations and failing accounts still backing off are
/// filtered out by <see cref="IAccessQueries.ListExpiringAsync"/> in SQL; healthy accounts come before failing ones
/// (SECURITY.md row 43). One account's failure is logged and does not stop the others.
/// </summary>
internal sealed partial class RunMaintenanceHandler(
    IServiceScopeFactory scopes,
    IAccessQueries accessQueries,
    IAuthorizationRequestStore authorizationRequests,
    IEventSubscriptionStore eventSubscriptions,
    TimeProvider time,
    ILogger<RunMaintenanceHandler> logger) : ICommandHandler<RunMaintenanceCommand, MaintenanceReport>
{
    public async ValueTask<MaintenanceReport> Handle(RunMaintenanceCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var now = time.GetUtcNow();
        var accounts = await accessQueries.ListExpiringAsync(now + command.Window, now, command.BatchSize, cancellationToken);
        var refreshed = 0;
        var failed = 0;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = command.MaxParallelism, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(accounts, parallel, async (account, token) =>
        {
            if (await RefreshAsync(account, command.Window, command.MaxJitter, token))
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

        var checkedSubscriptions = await CheckEventSubscriptionsAsync(command.BatchSize, cancellationToken);
        var dispatched = await SendLoggedAsync(new DispatchEventsCommand(), cancellationToken);
        return new MaintenanceReport(accounts.Count, refreshed, failed, revocations, purged)
        {
            EventSubscriptionsChecked = checkedSubscriptions,
            Events = dispatched,
        };
    }

    // Far longer than a check's few Gorgias calls (each within Gorgias:HttpTimeout); the check itself sets the next due time.
    private static readonly TimeSpan SubscriptionCheckLease = TimeSpan.FromMinutes(5);

    // Subscriptions due a keep-alive check or a retry of a failed subscribe, one at a time: each is a few Gorgias calls
    // on the account's own budget, and a failure is recorded on the subscription itself.
    private async Task<int> CheckEventSubscriptionsAsync(int limit, CancellationToken cancellationToken)
    {
        var due = await eventSubscriptions.ClaimDueAsync(time.GetUtcNow(), SubscriptionCheckLease, limit, cancellationToken);
        foreach (var account in due)
        {
            await SendLoggedAsync(new SubscribeEventsCommand(account.Value, CheckOnly: true), cancellationToken);
        }

        return due.Count;
    }

    private async Task<TResponse?> SendLoggedAsync<TResponse>(ICommand<TResponse> command, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ISender>().Send(command, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogStepFailed(logger, command.GetType().Name, exception);
            return default;
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

    private async Task<RetryPendingRevocationsResult?> RetryPendingRevocationsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new RetryPendingRevocationsCommand(), cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            LogRevocationsFailed(logger, exception);
            return null;
        }
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Background refresh of account {Account} failed: {Kind} ({Code})")]
    private static partial void LogRefreshFailed(ILogger logger, string account, string kind, string code);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Error, Message = "Background refresh of account {Account} threw")]
    private static partial void LogRefreshThrew(ILogger logger, string account, Exception exception);

    [LoggerMessage(EventId = 1405, Level = LogLevel.Error, Message = "The maintenance step {Step} failed; the next cycle tries again")]
    private static partial void LogStepFailed(ILogger logger, string step, Exception exception);

    [LoggerMessage(EventId = 1404, Level = LogLevel.Error, Message = "Retrying pending revocations failed; the next cycle tries again")]
    private static partial void LogRevocationsFailed(ILogger logger, Exception exception);
}

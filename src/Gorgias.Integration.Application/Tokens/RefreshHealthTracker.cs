using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// Keeps each account's refresh failure record (SECURITY.md row 43): a failed refresh is counted in the store with the
/// next time the worker may try (so dead accounts neither crowd out healthy ones nor cost a call a minute); repeated
/// permanent failures make the installation <see cref="InstallationStatus.RefreshFailing"/> and tell the host; the next
/// success makes it Active again and tells the host too. One singleton per process.
/// </summary>
/// <remarks>
/// A status change is an optimistic save of the installation: when another writer (a re-install, an uninstall, another
/// process marking the same change) saved first, this one gives up; the record in the store is what counts.
/// </remarks>
internal sealed partial class RefreshHealthTracker(
    ITokenSetRepository tokenSets,
    IInstallationRepository installations,
    IServiceScopeFactory scopes,
    ILogger<RefreshHealthTracker> logger)
{
    /// <summary>Counts the failure; marks the installation failing once it has failed often enough, the last time for good.</summary>
    public async Task RecordFailureAsync(TokenSet tokens, InstallationStatus status, TokenEndpointResult response, DateTimeOffset now)
    {
        var error = response.ErrorCode ?? response.Error!.Value.ToString();
        RefreshHealth health;
        try
        {
            health = await tokenSets.RecordRefreshFailureAsync(tokens, error, now, response.RetryAfter,
                RefreshFailureBackoff.Persisted, CancellationToken.None);
        }
        catch (ConcurrencyException)
        {
            return; // refreshed, replaced or deleted meanwhile: this failure is about tokens no longer stored
        }

        if (response.IsTransient || status != InstallationStatus.Active
            || health.ConsecutiveFailures < RefreshFailureBackoff.FailingThreshold)
        {
            return;
        }

        await ChangeAsync(tokens.Account, InstallationStatus.Active, i => i.MarkRefreshFailing(error, health.ConsecutiveFailures, now));
        LogFailing(logger, tokens.Account.Value, health.ConsecutiveFailures, error, health.NextAttemptAt);
    }

    /// <summary>After a stored refresh: a failing installation is Active again.</summary>
    public async Task RecordSuccessAsync(AccountName account, InstallationStatus status, DateTimeOffset now)
    {
        if (status != InstallationStatus.RefreshFailing)
        {
            return;
        }

        if (await ChangeAsync(account, InstallationStatus.RefreshFailing, i => i.MarkRefreshRecovered(now)))
        {
            LogRecovered(logger, account.Value);
        }
    }

    private async Task<bool> ChangeAsync(AccountName account, InstallationStatus expected, Action<Installation> change)
    {
        var installation = await installations.FindAsync(account, CancellationToken.None);
        if (installation is null || installation.Status != expected)
        {
            return false;
        }

        change(installation);
        try
        {
            await installations.SaveAsync(installation, CancellationToken.None);
        }
        catch (ConcurrencyException)
        {
            return false;
        }

        await using var scope = scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DomainEventPublisher>().PublishAsync(installation, CancellationToken.None);
        return true;
    }

    [LoggerMessage(EventId = 1310, Level = LogLevel.Error,
        Message = "Refreshes of account {Account} failed {Failures} times in a row (last: {Error}); the installation is now RefreshFailing, next attempt at {NextAttemptAt:O}")]
    private static partial void LogFailing(ILogger logger, string account, int failures, string error, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Information, Message = "A refresh of account {Account} succeeded again; the installation is Active")]
    private static partial void LogRecovered(ILogger logger, string account);
}

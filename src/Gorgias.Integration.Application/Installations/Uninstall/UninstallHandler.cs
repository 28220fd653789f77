using System.Diagnostics;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Common.Security;
using Gorgias.Integration.Application.Common.Validation;
using Gorgias.Integration.Application.Events;
using Gorgias.Integration.Application.Telemetry;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application.Installations.Uninstall;

/// <summary>
/// Uninstalls the app from an account: revokes the refresh token at Gorgias and wipes the tokens (SECURITY.md rows 26, 27).
/// </summary>
/// <remarks>
/// The uninstall is stored <em>before</em> Gorgias is called: one transaction marks the installation uninstalled,
/// deletes its token set and queues the refresh token (encrypted) as a pending revocation whose first retry lies one
/// backoff ahead. Then Gorgias is asked to revoke it, and the queued entry is deleted once Gorgias confirms.
/// Storing first means that of concurrent uninstalls, in one process or several, only the one whose save wins calls
/// Gorgias (the others find the installation uninstalled); that the app stops using the tokens before the call; and
/// that a process dying during the call leaves an entry the retry worker finishes. The entry's due time is the lease
/// that keeps the worker from revoking the same token while this call is in flight.
/// </remarks>
internal sealed partial class UninstallHandler(
    IInstallationRepository installations,
    IUninstallRecorder uninstalls,
    ITokenSetRepository tokenSets,
    IPendingRevocationStore pendingRevocations,
    IGorgiasAuthorizationServer authorizationServer,
    EventIntegrationSync events,
    TimeProvider time,
    DomainEventPublisher publisher,
    GorgiasMetrics metrics,
    ILogger<UninstallHandler> logger) : ICommandHandler<UninstallCommand, Result<UninstallResult>>
{
    private const int MaxAttempts = 2;

    /// <inheritdoc />
    public async ValueTask<Result<UninstallResult>> Handle(UninstallCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var activity = GorgiasActivity.Start(GorgiasTelemetry.Spans.Uninstall);
        try
        {
            var result = activity.Finish(await HandleAsync(command, activity, cancellationToken));
            if (result.Value is { } done)
            {
                metrics.Uninstalled(done.Revoked);
            }

            return result;
        }
        catch (Exception ex) when (activity.Fail(ex))
        {
            throw;
        }
    }

    private async ValueTask<Result<UninstallResult>> HandleAsync(UninstallCommand command, Activity? activity, CancellationToken cancellationToken)
    {
        if (!AccountRules.TryParse(command.Account, out var account, out var invalid))
        {
            return invalid;
        }

        activity.SetAccount(account);

        // Another writer (a concurrent uninstall, a re-install) saved first: read again once and decide on what is stored now.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await UninstallAsync(account, cancellationToken);
            }
            catch (ConcurrencyException) when (attempt < MaxAttempts)
            {
                LogConcurrentChange(logger, account.Value);
            }
            catch (ConcurrencyException)
            {
                return new Error(ErrorKind.Conflict, "installation_conflict",
                    $"The installation for account '{account}' changed while it was being uninstalled. Try again.");
            }
        }
    }

    private async Task<Result<UninstallResult>> UninstallAsync(AccountName account, CancellationToken cancellationToken)
    {
        var installation = await installations.FindAsync(account, cancellationToken);
        if (installation is null)
        {
            return Errors.NotFound(account);
        }

        var queued = await pendingRevocations.FindAsync(account, cancellationToken);
        if (installation.Status == InstallationStatus.Uninstalled)
        {
            // Idempotent: the first uninstall wiped the tokens, so nothing is left to revoke here and Gorgias is not
            // called. A revocation still queued stays with the retry worker, and Revoked says so.
            return new UninstallResult(account, Revoked: queued is null);
        }

        var tokens = await tokenSets.FindAsync(account, cancellationToken);
        if (tokens is not null && installation.HoldsTokens)
        {
            // Gorgias keeps what the app created after an uninstall: remove it while the token still works.
            await events.RemoveAsync(account, cancellationToken);
        }

        var now = time.GetUtcNow();
        installation.Uninstall(now);
        if (tokens is null)
        {
            // Never authorized: there is no token to revoke.
            await StoreAsync(installation, wiped: null, revocationToRetry: null, cancellationToken);
            return new UninstallResult(account, Revoked: queued is null);
        }

        if (queued is not null && !ConstantTime.AreEqual(queued.RefreshToken, tokens.RefreshToken))
        {
            return await UninstallBesideQueuedAsync(installation, tokens, queued, cancellationToken);
        }

        var revocation = PendingRevocation.Start(account, tokens.RefreshToken, now);
        await StoreAsync(installation, tokens, revocation, cancellationToken);

        var result = await authorizationServer.RevokeAsync(account, tokens.RefreshToken, cancellationToken);
        if (result.Revoked)
        {
            await pendingRevocations.DeleteIfStillQueuedAsync(revocation, cancellationToken);
            LogRevoked(logger, account.Value);
            return new UninstallResult(account, Revoked: true);
        }

        var later = revocation.RetryLater(time.GetUtcNow(), result.RetryAfter);
        if (later is not null)
        {
            await pendingRevocations.RescheduleIfStillQueuedAsync(revocation, later, cancellationToken);
        }

        LogQueued(logger, account.Value, result.Error, (later ?? revocation).NextAttemptAt);
        return new UninstallResult(account, Revoked: false);
    }

    /// <summary>
    /// The account was uninstalled before, installed again and is now uninstalled again, and the older refresh token is
    /// still queued: it may still be valid at Gorgias, and the queue holds one entry per account, so it must not be
    /// overwritten. Both tokens are revoked now. The current one is queued only when the older one's entry could be
    /// freed; when neither revocation succeeds the uninstall is refused, changing nothing, rather than forget a token.
    /// </summary>
    private async Task<Result<UninstallResult>> UninstallBesideQueuedAsync(Installation installation, TokenSet tokens,
        PendingRevocation queued, CancellationToken cancellationToken)
    {
        var account = installation.Account;
        var refreshToken = tokens.RefreshToken;
        var current = await authorizationServer.RevokeAsync(account, refreshToken, cancellationToken);
        var older = await authorizationServer.RevokeAsync(account, queued.RefreshToken, cancellationToken);
        if (older.Revoked)
        {
            // Already gone only when the retry worker deleted it first, after revoking it too.
            await pendingRevocations.DeleteIfStillQueuedAsync(queued, cancellationToken);
        }

        if (current.Revoked)
        {
            await StoreAsync(installation, tokens, revocationToRetry: null, cancellationToken);
            LogRevoked(logger, account.Value);
            return new UninstallResult(account, Revoked: older.Revoked);
        }

        if (!older.Revoked)
        {
            LogRefused(logger, account.Value, current.Error);
            return new Error(ErrorKind.GorgiasUnavailable, "revocation_unavailable",
                $"Gorgias did not confirm the revocation of the app's tokens for account '{account}', so the app stays installed. Try again later.",
                current.RetryAfter);
        }

        var now = time.GetUtcNow();
        var revocation = PendingRevocation.Start(account, refreshToken, now, current.RetryAfter);
        await StoreAsync(installation, tokens, revocation, cancellationToken);
        LogQueued(logger, account.Value, current.Error, revocation.NextAttemptAt);
        return new UninstallResult(account, Revoked: false);
    }

    /// <summary>
    /// Stores the uninstall, deleting the token set only at the version read (<paramref name="wiped"/>): one refreshed
    /// or replaced since would hold a token this uninstall does not revoke, so that is a conflict and the uninstall reads again.
    /// </summary>
    private async Task StoreAsync(Installation installation, TokenSet? wiped, PendingRevocation? revocationToRetry, CancellationToken cancellationToken)
    {
        await uninstalls.RecordUninstallAsync(installation, wiped, revocationToRetry, cancellationToken);
        await publisher.PublishAsync(installation, cancellationToken);
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "Uninstalled account {Account}; Gorgias confirmed the revocation of its refresh token")]
    private static partial void LogRevoked(ILogger logger, string account);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning,
        Message = "Uninstalled account {Account}, but Gorgias did not confirm the revocation ({Error}); the encrypted refresh token is kept and retried at {NextAttemptAt:O}")]
    private static partial void LogQueued(ILogger logger, string account, AuthorizationServerError? error, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning,
        Message = "Account {Account} was not uninstalled: an older refresh token is still queued for revocation and Gorgias confirmed neither revocation ({Error})")]
    private static partial void LogRefused(ILogger logger, string account, AuthorizationServerError? error);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Debug, Message = "The installation for account {Account} changed during the uninstall; reading it again")]
    private static partial void LogConcurrentChange(ILogger logger, string account);
}

using Gorgias.Integration.Application.Abstractions;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application.Installations.RetryRevocations;

/// <summary>
/// Retries the revocations that are due (SECURITY.md row 27). Each entry is claimed before Gorgias is called: its
/// attempt count is raised and its next attempt moved one backoff ahead in one compare-and-set, so two workers never
/// revoke the same entry at once, and a process dying during the call leaves the entry due again later. Confirmed →
/// the entry and its encrypted token are deleted; failed → it stays scheduled, later still when Gorgias asked so.
/// </summary>
/// <remarks>
/// The installation is not consulted: an entry holds the token that was issued before the uninstall, and an account
/// installed again since holds a new one. The old token is revoked either way; the new one is untouched.
/// </remarks>
internal sealed partial class RetryPendingRevocationsHandler(
    IPendingRevocationStore pendingRevocations,
    IGorgiasAuthorizationServer authorizationServer,
    TimeProvider time,
    ILogger<RetryPendingRevocationsHandler> logger) : ICommandHandler<RetryPendingRevocationsCommand, RetryPendingRevocationsResult>
{
    /// <inheritdoc />
    public async ValueTask<RetryPendingRevocationsResult> Handle(RetryPendingRevocationsCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var due = await pendingRevocations.ListDueAsync(time.GetUtcNow(), command.MaxCount, cancellationToken);
        int revoked = 0, stillPending = 0;
        foreach (var entry in due)
        {
            var claimed = entry.Claim(time.GetUtcNow());
            if (!await pendingRevocations.RescheduleIfStillQueuedAsync(entry, claimed, cancellationToken))
            {
                // Another worker claimed it, or it was revoked and deleted since it was listed.
                continue;
            }

            var result = await authorizationServer.RevokeAsync(entry.Account, entry.RefreshToken, cancellationToken);
            if (result.Revoked)
            {
                await pendingRevocations.DeleteIfStillQueuedAsync(claimed, cancellationToken);
                revoked++;
                LogRevoked(logger, entry.Account.Value, claimed.Attempts);
                continue;
            }

            var later = claimed.RetryLater(time.GetUtcNow(), result.RetryAfter);
            if (later is not null)
            {
                await pendingRevocations.RescheduleIfStillQueuedAsync(claimed, later, cancellationToken);
            }

            stillPending++;
            LogStillPending(logger, entry.Account.Value, claimed.Attempts, result.Error, (later ?? claimed).NextAttemptAt);
        }

        return new RetryPendingRevocationsResult(revoked, stillPending);
    }

    [LoggerMessage(EventId = 1600, Level = LogLevel.Information,
        Message = "Gorgias confirmed the revocation of the refresh token of uninstalled account {Account} after {Attempts} attempts; the token is deleted")]
    private static partial void LogRevoked(ILogger logger, string account, int attempts);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Warning,
        Message = "Revocation of the refresh token of uninstalled account {Account} failed again (attempt {Attempts}, {Error}); retried at {NextAttemptAt:O}")]
    private static partial void LogStillPending(ILogger logger, string account, int attempts, AuthorizationServerError? error, DateTimeOffset nextAttemptAt);
}

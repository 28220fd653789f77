using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>Stores token sets, encrypted at rest.</summary>
public interface ITokenSetRepository
{
    /// <summary>The token set for <paramref name="account"/>, or null when there is none.</summary>
    Task<TokenSet?> FindAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>
    /// What says whether a cached copy of the account's tokens is still current, read without decrypting anything:
    /// the installation's status and version and the token set's version. Null when the account has no installation.
    /// </summary>
    Task<AccessStamp?> FindAccessStampAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a refreshed token set if the stored one is still at <c>tokens.Version</c>; access and refresh token
    /// are written together, and the account's failure record is cleared. Returns the stored set (with its new version).
    /// Throws <see cref="Common.ConcurrencyException"/> when another writer got there first.
    /// </summary>
    Task<TokenSet> SaveAsync(TokenSet tokens, CancellationToken cancellationToken);

    /// <summary>
    /// Accounts of installations holding tokens (Active or RefreshFailing) whose access token expires before
    /// <paramref name="expiringBefore"/> and whose next refresh attempt is due at <paramref name="now"/>: first those
    /// that never failed, soonest expiry first, then failing ones whose backoff has passed, longest due first.
    /// Inactive installations and accounts still backing off are left out here, not by the caller: they would
    /// otherwise fill every batch ahead of the accounts that need a refresh.
    /// </summary>
    Task<IReadOnlyList<AccountName>> ListExpiringAsync(DateTimeOffset expiringBefore, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed refresh of the token set at <c>tokens.Version</c>: one more consecutive failure, the error code,
    /// and the next attempt <c>backoff.First · 2^(failures before)</c> later, at most <c>backoff.Max</c>, and not before
    /// <paramref name="retryAfter"/> (itself at most <c>backoff.Max</c>). All in one statement, so concurrent writers
    /// count every failure. Null when the stored set is no longer that version (refreshed, replaced or deleted meanwhile).
    /// </summary>
    Task<RefreshHealth?> RecordRefreshFailureAsync(TokenSet tokens, string error, DateTimeOffset now, TimeSpan? retryAfter,
        FailureBackoff backoff, CancellationToken cancellationToken);

    /// <summary>The account's token expiry and refresh failure record, without decrypting anything; null without a token set.</summary>
    Task<RefreshHealth?> FindRefreshHealthAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>Every account's token expiry and refresh failure record, without decrypting anything.</summary>
    Task<IReadOnlyDictionary<AccountName, RefreshHealth>> ListRefreshHealthAsync(CancellationToken cancellationToken);
}

/// <summary>An exponential backoff: <paramref name="First"/> after one failure, doubling, never more than <paramref name="Max"/>.</summary>
/// <param name="First">The wait after the first failure.</param>
/// <param name="Max">The longest wait.</param>
public readonly record struct FailureBackoff(TimeSpan First, TimeSpan Max);

/// <summary>How an account's refreshes are going, as stored (no secret).</summary>
/// <param name="AccessTokenExpiresAt">When the stored access token expires.</param>
/// <param name="ConsecutiveFailures">Failed refreshes since the last success.</param>
/// <param name="LastError">The last failure's error code, null after a success.</param>
/// <param name="NextAttemptAt">When the background worker tries again, null when it is not backing off.</param>
public sealed record RefreshHealth(DateTimeOffset AccessTokenExpiresAt, int ConsecutiveFailures, string? LastError, DateTimeOffset? NextAttemptAt);

/// <summary>The stored state of an account's access, without its secrets.</summary>
/// <param name="Status">The installation's status.</param>
/// <param name="InstallationVersion">The installation's version: changes with every install, re-install, uninstall or loss of access.</param>
/// <param name="TokenSetVersion">The token set's version (changes with every refresh), or null when there is no token set.</param>
public readonly record struct AccessStamp(InstallationStatus Status, long InstallationVersion, long? TokenSetVersion);

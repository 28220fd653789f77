using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// Stores the <see cref="TokenSet"/> aggregate, encrypted at rest, and its refresh failure record. A token set is
/// created and deleted only with its installation (<see cref="IInstallRecorder"/>, <see cref="IUninstallRecorder"/>);
/// here it is refreshed. Every write is conditional on the version read; a lost race throws <see cref="Common.ConcurrencyException"/>.
/// </summary>
public interface ITokenSetRepository
{
    /// <summary>The token set for <paramref name="account"/>, or null when there is none.</summary>
    Task<TokenSet?> FindAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a refreshed token set if the stored one is still at <c>tokens.Version</c>; access and refresh token
    /// are written together, and the account's failure record is cleared. Returns the stored set (with its new version).
    /// Throws <see cref="Common.ConcurrencyException"/> when another writer got there first.
    /// </summary>
    Task<TokenSet> SaveAsync(TokenSet tokens, CancellationToken cancellationToken);

    /// <summary>
    /// Counts a failed refresh of the token set at <c>tokens.Version</c>: one more consecutive failure, the error code,
    /// and the next attempt <c>backoff.First · 2^(failures before)</c> later, at most <c>backoff.Max</c>, and not before
    /// <paramref name="retryAfter"/> (itself at most <c>backoff.Max</c>). All in one statement, so concurrent writers
    /// count every failure. Throws <see cref="Common.ConcurrencyException"/>, changing nothing, when the stored set is no
    /// longer that version (refreshed, replaced or deleted meanwhile).
    /// </summary>
    Task<RefreshHealth> RecordRefreshFailureAsync(TokenSet tokens, string error, DateTimeOffset now, TimeSpan? retryAfter,
        FailureBackoff backoff, CancellationToken cancellationToken);

    /// <summary>The account's token expiry and refresh failure record, without decrypting anything; null without a token set.</summary>
    Task<RefreshHealth?> FindRefreshHealthAsync(AccountName account, CancellationToken cancellationToken);

    /// <summary>Every account's token expiry and refresh failure record, without decrypting anything.</summary>
    Task<IReadOnlyDictionary<AccountName, RefreshHealth>> ListRefreshHealthAsync(CancellationToken cancellationToken);

    /// <summary>The token expiry and refresh failure record of those of <paramref name="accounts"/> that have a token set.</summary>
    Task<IReadOnlyDictionary<AccountName, RefreshHealth>> ListRefreshHealthAsync(IReadOnlyCollection<AccountName> accounts, CancellationToken cancellationToken);
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
public sealed record RefreshHealth(DateTimeOffset AccessTokenExpiresAt, int ConsecutiveFailures, string? LastError, DateTimeOffset? NextAttemptAt)
{
    /// <summary>When the stored access token was issued: at the install or at the last successful refresh.</summary>
    public DateTimeOffset? AccessTokenIssuedAt { get; init; }
}

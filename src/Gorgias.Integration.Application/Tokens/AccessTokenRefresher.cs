using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Application.Telemetry;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// Gets an account's tokens to a given <see cref="TokenNeed"/>, refreshing at Gorgias when the stored ones do not meet it.
/// Shared by <see cref="GorgiasAccessTokenProvider"/> and the <c>RefreshToken</c> command. One singleton per process.
/// </summary>
/// <remarks>
/// <para>In this process, one refresh at a time per account (<see cref="SingleFlight{TKey,TState,TResult}"/>, SECURITY.md
/// row 34): a caller that gives up stops waiting without cancelling the refresh for the others; Gorgias calls are
/// bounded by <c>Gorgias:HttpTimeout</c>.</para>
/// <para>Across processes sharing the database (rows 35, 53): the Gorgias call and the save run in the account's turn
/// from <see cref="RefreshLeaseGate"/> (its lease, and the store read again once it is held), so an instance that
/// waited uses the tokens the holder stored instead of sending the same refresh token again. Saves stay optimistic, and the loser of
/// a race uses the winner's tokens; an <c>invalid_grant</c> is judged by <see cref="InvalidGrantArbiter"/>.</para>
/// <para>After a failure other than <c>invalid_grant</c>, automatic refreshes wait (<see cref="RefreshFailureBackoff"/>,
/// row 42); a forced one (the <c>RefreshToken</c> command without a window) always reaches Gorgias, still one at a time.
/// The failure is also counted in the store for the worker (<see cref="RefreshHealthTracker"/>, row 43).</para>
/// </remarks>
internal sealed partial class AccessTokenRefresher
{
    /// <summary>The retry delay reported when a refresh could not be settled (a store that kept changing under it).</summary>
    internal static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(30);

    private const int MaxAttempts = 3;

    private readonly AccessTokenCache _cache;
    private readonly ITokenSetRepository _tokenSets;
    private readonly IAccessQueries _accessQueries;
    private readonly IGorgiasAuthorizationServer _authorizationServer;
    private readonly RefreshLeaseGate _gate;
    private readonly RefreshHealthTracker _health;
    private readonly RefreshFailureBackoff _backoff;
    private readonly InvalidGrantArbiter _arbiter;
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly GorgiasMetrics _metrics;
    private readonly ILogger<AccessTokenRefresher> _logger;
    private readonly GorgiasOptions _options;
    private readonly SingleFlight<AccountName, TokenNeed, TokenAcquisition> _flights;

    public AccessTokenRefresher(AccessTokenCache cache, ITokenSetRepository tokenSets, IAccessQueries accessQueries, IGorgiasAuthorizationServer authorizationServer,
        RefreshLeaseGate gate, RefreshHealthTracker health, RefreshFailureBackoff backoff, InvalidGrantArbiter arbiter, IServiceScopeFactory scopes,
        IOptions<GorgiasOptions> options, TimeProvider time, GorgiasMetrics metrics, ILogger<AccessTokenRefresher> logger)
    {
        (_cache, _tokenSets, _accessQueries, _authorizationServer, _health, _backoff, _arbiter) = (cache, tokenSets, accessQueries, authorizationServer, health, backoff, arbiter);
        (_gate, _scopes, _time, _metrics, _logger, _options) = (gate, scopes, time, metrics, logger, options.Value);
        _flights = new(RunAsync);
    }

    /// <summary>
    /// The account's tokens meeting <paramref name="need"/>: joins the refresh in flight for the account, or starts one.
    /// <paramref name="cancellationToken"/> stops only this caller's wait.
    /// </summary>
    public async Task<TokenAcquisition> AcquireAsync(AccountName account, TokenNeed need, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        TokenAcquisition outcome = null!;
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var flight = _flights.Join(account, need);
            outcome = await flight.Task.WaitAsync(cancellationToken);

            // The caller's own flight is final: it decided on this need, and running it again would only refresh again
            // (row 41). A joined one started for a weaker need (a re-validation joined by a 401 retry, an automatic
            // refresh joined by a forced one) may not serve this caller; it has left, so the next round starts its own.
            if (flight.StartedHere || Served(need, flight.State, outcome))
            {
                return outcome;
            }
        }

        return outcome;
    }

    private bool Served(TokenNeed need, TokenNeed shared, TokenAcquisition outcome) => need.Force
        ? shared.Force
        : outcome.Error is not null || outcome.Tokens is not { } tokens || need.IsServedBy(shared, tokens, _time.GetUtcNow());

    /// <summary>One flight: up to <see cref="MaxAttempts"/> rounds, each deciding afresh on what is stored.</summary>
    private async Task<TokenAcquisition> RunAsync(AccountName account, TokenNeed need)
    {
        // Observing the stored tokens turns a forced need into "replace these"; the flight stays forced throughout.
        var forced = need.Force;
        for (var attempt = 1; ; attempt++)
        {
            var (outcome, retry) = await RoundAsync(account, need, forced, attempt < MaxAttempts);
            if (outcome is not null)
            {
                return outcome;
            }

            need = retry;
        }
    }

    /// <summary>One round: the outcome, or none and the need to try again with when the store changed under it.</summary>
    private async Task<(TokenAcquisition? Outcome, TokenNeed Retry)> RoundAsync(AccountName account, TokenNeed need, bool forced, bool mayRetry)
    {
        // No caller's token: the work is shared (see remarks).
        var cancellationToken = CancellationToken.None;
        var epoch = _cache.Epoch;
        var now = _time.GetUtcNow();
        var stamp = await _accessQueries.FindAccessStampAsync(account, cancellationToken);
        if (Unusable(account, stamp) is { } unusable)
        {
            Forget(account);
            return (TokenAcquisition.Failure(unusable), need);
        }

        var installationVersion = stamp!.Value.InstallationVersion;

        // Re-validation reads only the stamp; the tokens are read (and decrypted) only when they changed.
        var tokens = _cache.TryGet(account, out var cached)
            && cached.InstallationVersion == installationVersion && cached.Tokens.Version == stamp.Value.TokenSetVersion
                ? cached.Tokens
                : await _tokenSets.FindAsync(account, cancellationToken);
        if (tokens is null)
        {
            Forget(account);
            return (TokenAcquisition.Failure(Errors.NotFound(account)), need);
        }

        need = need.Observing(tokens);
        if (need.IsMetBy(tokens, now))
        {
            Cache(tokens, installationVersion, now, epoch);
            return (TokenAcquisition.Success(tokens), need);
        }

        if (!forced && _backoff.TryGetWait(account, now, out var until, out var waitError))
        {
            // Rows 25, 42: an automatic refresh is not tried again before Gorgias's Retry-After (or the backoff step).
            Cache(tokens, installationVersion, now, epoch);
            var error = waitError.Kind == ErrorKind.GorgiasUnavailable ? Unavailable(account, until - now) : waitError;
            return (Deferred(tokens, need, now, error), need);
        }

        // Rows 35, 53: across instances one refresh at a time per account, from the Gorgias call to the save.
        await using var turn = await _gate.EnterAsync(account, tokens, need, cancellationToken);
        switch (turn.Kind)
        {
            case RefreshTurnKind.Busy:
                Cache(tokens, installationVersion, now, epoch);
                return (Deferred(tokens, need, now, Unavailable(account, DefaultRetryAfter)), need);
            case RefreshTurnKind.Gone:
                Forget(account);
                return (TokenAcquisition.Failure(Errors.NotFound(account)), need);
            case RefreshTurnKind.RefreshedElsewhere:
                Cache(turn.Tokens!, installationVersion, turn.Now, epoch);
                return (TokenAcquisition.Success(turn.Tokens!), need);
            default:
                return await RefreshAsync(account, turn.Tokens!, need, stamp.Value, epoch, mayRetry);
        }
    }

    /// <summary>What follows from Gorgias's answer to a refresh (<see cref="RefreshAsync"/>); the caller holds the account's lease.</summary>
    private async Task<(TokenAcquisition? Outcome, TokenNeed Retry)> SettleAsync(AccountName account, TokenSet tokens, TokenNeed need,
        AccessStamp stamp, long epoch, bool mayRetry, TokenEndpointResult response)
    {
        var cancellationToken = CancellationToken.None;
        var installationVersion = stamp.InstallationVersion;
        if (response.IsSuccess)
        {
            var now = _time.GetUtcNow();
            var refreshed = tokens.Refreshed(response.Grant!, now);
            TokenSet saved;
            try
            {
                // Access and refresh token in one UPDATE (row 24): a rotated refresh token is never stored apart from its access token.
                saved = await _tokenSets.SaveAsync(refreshed, cancellationToken);
            }
            catch (ConcurrencyException) when (mayRetry)
            {
                // Another process stored first; its tokens are as good as ours and are the ones everyone will read.
                LogLostRace(_logger, account.Value);
                return (null, need);
            }

            _backoff.Clear(account);
            Cache(saved, installationVersion, now, epoch);
            await _health.RecordSuccessAsync(account, stamp.Status, now);
            LogRefreshed(_logger, account.Value, saved.ExpiresAt, !string.Equals(saved.RefreshToken, tokens.RefreshToken, StringComparison.Ordinal));
            await PublishAsync(refreshed);
            return (TokenAcquisition.Success(saved), need);
        }

        if (response.Error == AuthorizationServerError.InvalidGrant)
        {
            var verdict = await _arbiter.JudgeAsync(tokens, need, _time.GetUtcNow(), cancellationToken);
            if (verdict == InvalidGrantVerdict.AccessLost)
            {
                _backoff.Clear(account);
                return (TokenAcquisition.Failure(ReauthorizationRequired(account, InstallationStatus.ReauthorizationRequired)), need);
            }

            return mayRetry ? (null, need) : (TokenAcquisition.Failure(Unavailable(account, DefaultRetryAfter)), need);
        }

        // Transient or not, the stored tokens stay as they are; the refresh waits before being tried again.
        var failedAt = _time.GetUtcNow();
        var failure = _backoff.RecordFailure(account, response.RetryAfter, failedAt, wait => Describe(account, response, wait));
        await _health.RecordFailureAsync(tokens, stamp.Status, response, failedAt);
        Cache(tokens, installationVersion, failedAt, epoch);
        return (Deferred(tokens, need, failedAt, failure), need);
    }

    private Error Describe(AccountName account, TokenEndpointResult response, TimeSpan wait)
    {
        if (response.IsTransient)
        {
            LogUnavailable(_logger, account.Value, response.Error!.Value, wait);
            return Unavailable(account, wait);
        }

        LogGorgiasError(_logger, account.Value, response.Error!.Value, response.ErrorCode);
        return new Error(ErrorKind.GorgiasError, "gorgias_error",
            $"Gorgias refused to renew the access token of account '{account}' ({response.Error}); an operator must check the configuration and logs.");
    }

    private static Error? Unusable(AccountName account, AccessStamp? stamp) => stamp switch
    {
        // Status first: an uninstalled account has no tokens left, and still must be told to install again.
        { Status: InstallationStatus.ReauthorizationRequired or InstallationStatus.Uninstalled } s => ReauthorizationRequired(account, s.Status),
        { Status: InstallationStatus.Active or InstallationStatus.RefreshFailing, TokenSetVersion: not null } => null,
        _ => Errors.NotFound(account),
    };

    private void Cache(TokenSet tokens, long installationVersion, DateTimeOffset now, long epoch) =>
        _cache.TrySet(new CachedAccess(tokens, installationVersion, now + _options.TokenCacheRevalidation,
            tokens.RefreshDueAt(_options.RefreshBeforeExpiry)), epoch);

    private void Forget(AccountName account)
    {
        _cache.Invalidate(account);
        _backoff.Clear(account);
    }

    /// <summary>Tokens that failed to refresh may still be handed out while they work, unless they are the ones being replaced.</summary>
    private static TokenAcquisition Deferred(TokenSet tokens, TokenNeed need, DateTimeOffset now, Error error) =>
        TokenAcquisition.Deferred(
            now < tokens.ExpiresAt && !string.Equals(tokens.AccessToken, need.Replacing, StringComparison.Ordinal) ? tokens : null,
            error);

    private static Error Unavailable(AccountName account, TimeSpan retryAfter) =>
        new(ErrorKind.GorgiasUnavailable, "gorgias_unavailable",
            $"Gorgias did not renew the access token of account '{account}'. Try again later.", retryAfter);

    private static Error ReauthorizationRequired(AccountName account, InstallationStatus status) => status == InstallationStatus.Uninstalled
        ? new(ErrorKind.ReauthorizationRequired, "uninstalled", $"The app was uninstalled from account '{account}'; it must be installed again from Gorgias.")
        : new(ErrorKind.ReauthorizationRequired, "reauthorization_required",
            $"Gorgias no longer accepts the app's authorization for account '{account}' (it was uninstalled or revoked there); it must be installed again from Gorgias.");

    /// <summary>Publishes the refresh's domain event to the host's handlers in their own scope; the refresh is stored already.</summary>
    private async ValueTask PublishAsync(TokenSet refreshed)
    {
        await using var scope = _scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DomainEventPublisher>().PublishAsync(refreshed, CancellationToken.None);
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Access token of account {Account} refreshed; expires at {ExpiresAt:O}, refresh token rotated: {Rotated}")]
    private static partial void LogRefreshed(ILogger logger, string account, DateTimeOffset expiresAt, bool rotated);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Another process stored a refreshed token for account {Account} first; using its tokens")]
    private static partial void LogLostRace(ILogger logger, string account);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Refresh for account {Account} failed ({Error}); current tokens kept, next attempt in {RetryAfter}")]
    private static partial void LogUnavailable(ILogger logger, string account, AuthorizationServerError error, TimeSpan retryAfter);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Error, Message = "Refresh for account {Account} was refused: {Error} (error code {ErrorCode}); current tokens kept. Check Gorgias:ClientId and Gorgias:ClientSecret if this is InvalidClient")]
    private static partial void LogGorgiasError(ILogger logger, string account, AuthorizationServerError error, string? errorCode);
}

using System.Collections.Concurrent;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// Gets an account's tokens to a given <see cref="TokenNeed"/>, refreshing at Gorgias when the stored ones do not meet it.
/// Shared by <see cref="GorgiasAccessTokenProvider"/> and the <c>RefreshToken</c> command. One singleton per process.
/// </summary>
/// <remarks>
/// <para>In this process, one refresh at a time per account: concurrent callers join the one in flight
/// (SECURITY.md row 34). It runs without any caller's cancellation token, so a caller that gives up stops waiting
/// without cancelling the refresh for the others; Gorgias calls are bounded by <c>Gorgias:HttpTimeout</c>.</para>
/// <para>Across processes sharing the database (row 35): the store is read again right before Gorgias is called (a
/// token another process stored is used as is); saves are optimistic, and the loser of a race uses the winner's tokens;
/// an <c>invalid_grant</c> is believed only after the store shows no newer refresh token, also after a short wait for a
/// writer whose save is in flight (with rotating refresh tokens, the loser's old token is refused before the winner has
/// stored the new one).</para>
/// <para>After a failure other than <c>invalid_grant</c>, automatic refreshes wait a short jittered step that doubles
/// (<see cref="RefreshFailureBackoff.Automatic"/>, row 42); a forced one (the <c>RefreshToken</c> command without a
/// window) always reaches Gorgias, still one at a time. The failure is also counted in the store for the worker
/// (<see cref="RefreshHealthTracker"/>, row 43).</para>
/// </remarks>
internal sealed partial class AccessTokenRefresher(
    AccessTokenCache cache,
    ITokenSetRepository tokenSets,
    IAccessQueries accessQueries,
    IInstallationRepository installations,
    IGorgiasAuthorizationServer authorizationServer,
    RefreshHealthTracker health,
    IServiceScopeFactory scopes,
    IOptions<GorgiasOptions> options,
    TimeProvider time,
    ILogger<AccessTokenRefresher> logger)
{
    /// <summary>The retry delay reported when a refresh could not be settled (a store that kept changing under it).</summary>
    internal static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long, in all, an <c>invalid_grant</c> waits for another process's save to show up in the store before access
    /// is declared lost. Real time on purpose: it waits for another process's I/O, which no logical clock drives; it never
    /// decides expiry. The cost is paid once, when access really is lost.
    /// </summary>
    internal static readonly TimeSpan[] InvalidGrantSettleDelays =
        [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)];

    private const int MaxAttempts = 3;

    private readonly ConcurrentDictionary<AccountName, Flight> _inFlight = new();
    private readonly ConcurrentDictionary<AccountName, (DateTimeOffset Until, Error Error, int Failures)> _refreshBackoff = new();
    private readonly GorgiasOptions _options = options.Value;

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
            var candidate = new Flight(this, account, need);
            var flight = _inFlight.GetOrAdd(account, candidate);
            outcome = await flight.Task.WaitAsync(cancellationToken);

            // The caller's own flight is final: it decided on this need, and running it again would only refresh again
            // (row 41). A joined one started for a weaker need (a re-validation joined by a 401 retry, an automatic
            // refresh joined by a forced one) may not serve this caller; it has left, so the next round starts its own.
            if (ReferenceEquals(flight, candidate) || Served(need, flight.Need, outcome))
            {
                return outcome;
            }
        }

        return outcome;
    }

    private bool Served(TokenNeed need, TokenNeed shared, TokenAcquisition outcome) => need.Force
        ? shared.Force
        : outcome.Error is not null || outcome.Tokens is not { } tokens || need.IsServedBy(shared, tokens, time.GetUtcNow());

    private async Task<TokenAcquisition> RunAsync(AccountName account, TokenNeed need)
    {
        // No caller's token: the work is shared (see remarks).
        var cancellationToken = CancellationToken.None;
        var forced = need.Force;
        for (var attempt = 1; ; attempt++)
        {
            var epoch = cache.Epoch;
            var now = time.GetUtcNow();
            var stamp = await accessQueries.FindAccessStampAsync(account, cancellationToken);
            if (Unusable(account, stamp) is { } unusable)
            {
                Forget(account);
                return TokenAcquisition.Failure(unusable);
            }

            var installationVersion = stamp!.Value.InstallationVersion;

            // Re-validation reads only the stamp; the tokens are read (and decrypted) only when they changed.
            var tokens = cache.TryGet(account, out var cached)
                && cached.InstallationVersion == installationVersion && cached.Tokens.Version == stamp.Value.TokenSetVersion
                    ? cached.Tokens
                    : await tokenSets.FindAsync(account, cancellationToken);
            if (tokens is null)
            {
                Forget(account);
                return TokenAcquisition.Failure(Errors.NotFound(account));
            }

            need = need.Observing(tokens);
            if (need.IsMetBy(tokens, now))
            {
                Cache(tokens, installationVersion, now, epoch);
                return TokenAcquisition.Success(tokens);
            }

            if (!forced && _refreshBackoff.TryGetValue(account, out var backoff) && now < backoff.Until)
            {
                // Rows 25, 42: an automatic refresh is not tried again before Gorgias's Retry-After (or the backoff step).
                Cache(tokens, installationVersion, now, epoch);
                var error = backoff.Error.Kind == ErrorKind.GorgiasUnavailable ? Unavailable(account, backoff.Until - now) : backoff.Error;
                return Deferred(tokens, need, now, error);
            }

            var response = await authorizationServer.RefreshAsync(account, tokens.RefreshToken, cancellationToken);
            now = time.GetUtcNow();

            if (response.IsSuccess)
            {
                var refreshed = tokens.Refreshed(response.Grant!, now);
                TokenSet saved;
                try
                {
                    // Access and refresh token in one UPDATE (row 24): a rotated refresh token is never stored apart from its access token.
                    saved = await tokenSets.SaveAsync(refreshed, cancellationToken);
                }
                catch (ConcurrencyException) when (attempt < MaxAttempts)
                {
                    // Another process stored first; its tokens are as good as ours and are the ones everyone will read.
                    LogLostRace(logger, account.Value);
                    continue;
                }

                _refreshBackoff.TryRemove(account, out _);
                Cache(saved, installationVersion, now, epoch);
                await health.RecordSuccessAsync(account, stamp.Value.Status, now);
                var rotated = !string.Equals(saved.RefreshToken, tokens.RefreshToken, StringComparison.Ordinal);
                LogRefreshed(logger, account.Value, saved.ExpiresAt, rotated);
                await PublishAsync(new AccessTokenRefreshedNotification(account.Value, saved.ExpiresAt, rotated, now));
                return TokenAcquisition.Success(saved);
            }

            if (response.Error == AuthorizationServerError.InvalidGrant)
            {
                if (await StoreChangedSinceAsync(tokens, need, cancellationToken))
                {
                    LogInvalidGrantButStoreChanged(logger, account.Value);
                    if (attempt < MaxAttempts)
                    {
                        continue;
                    }

                    return TokenAcquisition.Failure(Unavailable(account, DefaultRetryAfter));
                }

                var lost = await DeclareAccessLostAsync(account, now, cancellationToken);
                if (lost is null && attempt < MaxAttempts)
                {
                    // The installation changed meanwhile (a re-install, say): decide again on what is stored now.
                    continue;
                }

                return lost ?? TokenAcquisition.Failure(Unavailable(account, DefaultRetryAfter));
            }

            // Transient or not, the stored tokens stay as they are; the refresh waits before being tried again.
            var failures = (_refreshBackoff.TryGetValue(account, out var previous) ? previous.Failures : 0) + 1;
            var wait = RefreshFailureBackoff.Automatic(failures, response.RetryAfter, Random.Shared.NextDouble());
            Error failure;
            if (response.IsTransient)
            {
                failure = Unavailable(account, wait);
                LogUnavailable(logger, account.Value, response.Error!.Value, wait);
            }
            else
            {
                failure = new Error(ErrorKind.GorgiasError, "gorgias_error",
                    $"Gorgias refused to renew the access token of account '{account}' ({response.Error}); an operator must check the configuration and logs.");
                LogGorgiasError(logger, account.Value, response.Error!.Value, response.ErrorCode);
            }

            _refreshBackoff[account] = (now + wait, failure, failures);
            await health.RecordFailureAsync(tokens, stamp.Value.Status, response, now);
            Cache(tokens, installationVersion, now, epoch);
            return Deferred(tokens, need, now, failure);
        }
    }

    /// <summary>
    /// After an <c>invalid_grant</c>: true when the store holds another refresh token than the one refused, or an access
    /// token that meets the need, i.e. another process refreshed (and rotated). Waits briefly for a save in flight.
    /// </summary>
    private async Task<bool> StoreChangedSinceAsync(TokenSet used, TokenNeed need, CancellationToken cancellationToken)
    {
        foreach (var delay in InvalidGrantSettleDelays.Prepend(TimeSpan.Zero))
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }

            var stored = await tokenSets.FindAsync(used.Account, cancellationToken);
            if (stored is null
                || !string.Equals(stored.RefreshToken, used.RefreshToken, StringComparison.Ordinal)
                || need.IsMetBy(stored, time.GetUtcNow()))
            {
                // Null: uninstalled meanwhile; the next round reports it.
                return true;
            }
        }

        return false;
    }

    /// <summary>Marks the installation as needing a new install and tells the host; null when it changed meanwhile.</summary>
    private async Task<TokenAcquisition?> DeclareAccessLostAsync(AccountName account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var installation = await installations.FindAsync(account, cancellationToken);
        if (installation is null || !installation.HoldsTokens)
        {
            return null;
        }

        installation.RequireReauthorization("invalid_grant", now);
        try
        {
            await installations.SaveAsync(installation, cancellationToken);
        }
        catch (ConcurrencyException)
        {
            return null;
        }

        Forget(account);
        LogAccessLost(logger, account.Value);
        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DomainEventPublisher>().PublishAsync(installation, cancellationToken);
        }

        return TokenAcquisition.Failure(ReauthorizationRequired(account, InstallationStatus.ReauthorizationRequired));
    }

    private static Error? Unusable(AccountName account, AccessStamp? stamp) => stamp switch
    {
        // Status first: an uninstalled account has no tokens left, and still must be told to install again.
        { Status: InstallationStatus.ReauthorizationRequired or InstallationStatus.Uninstalled } s => ReauthorizationRequired(account, s.Status),
        { Status: InstallationStatus.Active or InstallationStatus.RefreshFailing, TokenSetVersion: not null } => null,
        _ => Errors.NotFound(account),
    };

    private void Cache(TokenSet tokens, long installationVersion, DateTimeOffset now, long epoch)
    {
        var retryAt = _refreshBackoff.TryGetValue(tokens.Account, out var backoff) ? backoff.Until : DateTimeOffset.MinValue;
        cache.TrySet(new CachedAccess(tokens, installationVersion, now + _options.TokenCacheRevalidation, retryAt,
            tokens.RefreshDueAt(_options.RefreshBeforeExpiry)), epoch);
    }

    private void Forget(AccountName account)
    {
        cache.Invalidate(account);
        _refreshBackoff.TryRemove(account, out _);
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

    /// <summary>Publishes to the host's handlers in their own scope; a failing handler is logged: the refresh is stored.</summary>
    private async ValueTask PublishAsync(AccessTokenRefreshedNotification notification)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IPublisher>().Publish(notification, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogHandlerFailed(logger, nameof(AccessTokenRefreshedNotification), exception);
        }
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information, Message = "Access token of account {Account} refreshed; expires at {ExpiresAt:O}, refresh token rotated: {Rotated}")]
    private static partial void LogRefreshed(ILogger logger, string account, DateTimeOffset expiresAt, bool rotated);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Another process stored a refreshed token for account {Account} first; using its tokens")]
    private static partial void LogLostRace(ILogger logger, string account);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Gorgias refused the refresh token of account {Account}, but the store holds newer tokens (another process refreshed); using them")]
    private static partial void LogInvalidGrantButStoreChanged(ILogger logger, string account);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Gorgias refused the refresh token of account {Account} (invalid_grant): the app was uninstalled or revoked there; the installation needs a new install")]
    private static partial void LogAccessLost(ILogger logger, string account);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "Refresh for account {Account} failed ({Error}); current tokens kept, next attempt in {RetryAfter}")]
    private static partial void LogUnavailable(ILogger logger, string account, AuthorizationServerError error, TimeSpan retryAfter);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Error, Message = "Refresh for account {Account} was refused: {Error} (error code {ErrorCode}); current tokens kept. Check Gorgias:ClientId and Gorgias:ClientSecret if this is InvalidClient")]
    private static partial void LogGorgiasError(ILogger logger, string account, AuthorizationServerError error, string? errorCode);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Error, Message = "A handler of {Notification} failed; the refresh itself was stored")]
    private static partial void LogHandlerFailed(ILogger logger, string notification, Exception exception);

    /// <summary>One refresh in flight for one account, started by the first caller to ask for its task, joined by the others.</summary>
    private sealed class Flight
    {
        private readonly Lazy<Task<TokenAcquisition>> _task;

        public Flight(AccessTokenRefresher owner, AccountName account, TokenNeed need)
        {
            Need = need;
            _task = new Lazy<Task<TokenAcquisition>>(() => Start(owner, account), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public TokenNeed Need { get; }

        public Task<TokenAcquisition> Task => _task.Value;

        private Task<TokenAcquisition> Start(AccessTokenRefresher owner, AccountName account)
        {
            // Off the caller's thread: SQLite's async calls complete synchronously, and no caller's context or
            // cancellation belongs to the shared work.
            var task = System.Threading.Tasks.Task.Run(() => owner.RunAsync(account, Need), CancellationToken.None);

            // Leaves the map once done, so the next caller decides afresh on what is stored then.
            _ = task.ContinueWith(
                static (_, state) =>
                {
                    var (owner, account, flight) = ((AccessTokenRefresher, AccountName, Flight))state!;
                    owner._inFlight.TryRemove(new KeyValuePair<AccountName, Flight>(account, flight));
                },
                (owner, account, this),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return task;
        }
    }
}

using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// Rows 35, 53: across instances one refresh at a time per account, from the Gorgias call to the save. Takes the
/// account's <see cref="IRefreshLease"/> and reads the stored tokens again once it is held, so an instance that waited
/// uses the tokens the holder stored instead of sending the same refresh token again. Its one concern is the
/// coordination between instances; what to do with each <see cref="RefreshTurn"/> is <see cref="AccessTokenRefresher"/>'s.
/// </summary>
internal sealed partial class RefreshLeaseGate(IRefreshLease lease, ITokenSetRepository tokenSets, TimeProvider time, ILogger<RefreshLeaseGate> logger)
{
    /// <summary>
    /// The account's turn to refresh, decided under its lease (held until the turn is disposed): <paramref name="seen"/>
    /// is what the caller read before waiting, <paramref name="need"/> what it must get.
    /// </summary>
    public async Task<RefreshTurn> EnterAsync(AccountName account, TokenSet seen, TokenNeed need, CancellationToken cancellationToken)
    {
        var held = await lease.AcquireAsync(account, cancellationToken);
        if (held is null)
        {
            // Another instance is still refreshing after the whole bound: sending the same refresh token would be reuse.
            LogLeaseBusy(logger, account.Value);
            return new RefreshTurn(RefreshTurnKind.Busy, seen, time.GetUtcNow(), null);
        }

        try
        {
            var current = await tokenSets.FindAsync(account, cancellationToken);
            if (current is null)
            {
                return new RefreshTurn(RefreshTurnKind.Gone, null, time.GetUtcNow(), held);
            }

            if (current.Version == seen.Version)
            {
                return new RefreshTurn(RefreshTurnKind.Refresh, seen, time.GetUtcNow(), held);
            }

            var now = time.GetUtcNow();
            if (need.IsMetBy(current, now))
            {
                LogRefreshedElsewhere(logger, account.Value);
                return new RefreshTurn(RefreshTurnKind.RefreshedElsewhere, current, now, held);
            }

            return new RefreshTurn(RefreshTurnKind.Refresh, current, now, held);
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }
    }

    [LoggerMessage(EventId = 1306, Level = LogLevel.Information, Message = "Another instance refreshed the tokens of account {Account} while this one waited for the refresh lease; using its tokens")]
    private static partial void LogRefreshedElsewhere(ILogger logger, string account);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Warning, Message = "The refresh lease of account {Account} stayed taken by another instance for its whole bound; current tokens kept, Gorgias not called")]
    private static partial void LogLeaseBusy(ILogger logger, string account);
}

/// <summary>What <see cref="RefreshLeaseGate.EnterAsync"/> found once the lease was taken, or not.</summary>
internal enum RefreshTurnKind
{
    /// <summary>The lease stayed taken by another instance for its whole bound: Gorgias must not be called.</summary>
    Busy,

    /// <summary>The account's tokens are gone from the store.</summary>
    Gone,

    /// <summary>Another instance stored tokens that meet the need: use them.</summary>
    RefreshedElsewhere,

    /// <summary>This instance refreshes <see cref="RefreshTurn.Tokens"/> under the lease.</summary>
    Refresh,
}

/// <summary>One turn at an account's refresh; disposing it releases the lease (held by every kind but <see cref="RefreshTurnKind.Busy"/>).</summary>
/// <param name="Kind">What was found.</param>
/// <param name="Tokens">The tokens to use or refresh; the caller's own when busy; null when gone.</param>
/// <param name="Now">When the turn was decided.</param>
/// <param name="Lease">The held lease, or null when busy.</param>
internal sealed record RefreshTurn(RefreshTurnKind Kind, TokenSet? Tokens, DateTimeOffset Now, IAsyncDisposable? Lease) : IAsyncDisposable
{
    /// <summary>Releases the lease, if held.</summary>
    public ValueTask DisposeAsync() => Lease?.DisposeAsync() ?? ValueTask.CompletedTask;
}

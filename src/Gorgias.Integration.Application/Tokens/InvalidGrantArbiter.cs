using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>What an <c>invalid_grant</c> turned out to mean.</summary>
internal enum InvalidGrantVerdict
{
    /// <summary>Another process refreshed (and rotated) meanwhile: decide again on what is stored now.</summary>
    StoreChanged,

    /// <summary>The installation changed meanwhile (a re-install, say): decide again on what is stored now.</summary>
    InstallationChanged,

    /// <summary>Gorgias really refused the app: the installation now needs a new install and the host was told.</summary>
    AccessLost,
}

/// <summary>
/// Decides whether an <c>invalid_grant</c> means access is lost (SECURITY.md row 35). With rotating refresh tokens the
/// loser of a cross-process race has its old token refused before the winner has stored the new one, so the refusal is
/// believed only after the store shows no newer refresh token, also after a short wait for a save in flight.
/// </summary>
internal sealed partial class InvalidGrantArbiter(
    ITokenSetRepository tokenSets,
    IInstallationRepository installations,
    IServiceScopeFactory scopes,
    TimeProvider time,
    ILogger<InvalidGrantArbiter> logger)
{
    /// <summary>
    /// How long, in all, an <c>invalid_grant</c> waits for another process's save to show up in the store before access
    /// is declared lost. Real time on purpose: it waits for another process's I/O, which no logical clock drives; it never
    /// decides expiry. The cost is paid once, when access really is lost.
    /// </summary>
    internal static readonly TimeSpan[] SettleDelays =
        [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400)];

    /// <summary>Judges the refusal of <paramref name="used"/>'s refresh token; declares access lost when nothing explains it.</summary>
    public async Task<InvalidGrantVerdict> JudgeAsync(TokenSet used, TokenNeed need, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await StoreChangedSinceAsync(used, need, cancellationToken))
        {
            LogInvalidGrantButStoreChanged(logger, used.Account.Value);
            return InvalidGrantVerdict.StoreChanged;
        }

        return await DeclareAccessLostAsync(used.Account, now, cancellationToken)
            ? InvalidGrantVerdict.AccessLost
            : InvalidGrantVerdict.InstallationChanged;
    }

    /// <summary>
    /// True when the store holds another refresh token than the one refused, or an access token that meets the need,
    /// i.e. another process refreshed (and rotated). Waits briefly for a save in flight.
    /// </summary>
    private async Task<bool> StoreChangedSinceAsync(TokenSet used, TokenNeed need, CancellationToken cancellationToken)
    {
        foreach (var delay in SettleDelays.Prepend(TimeSpan.Zero))
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

    /// <summary>Marks the installation as needing a new install and tells the host; false when it changed meanwhile.</summary>
    private async Task<bool> DeclareAccessLostAsync(AccountName account, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var installation = await installations.FindAsync(account, cancellationToken);
        if (installation is null || !installation.HoldsTokens)
        {
            return false;
        }

        installation.RequireReauthorization("invalid_grant", now);
        try
        {
            await installations.SaveAsync(installation, cancellationToken);
        }
        catch (ConcurrencyException)
        {
            return false;
        }

        LogAccessLost(logger, account.Value);

        // The access-lost notification also drops the cached tokens (InvalidateCachedTokensHandler).
        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DomainEventPublisher>().PublishAsync(installation, cancellationToken);
        }

        return true;
    }

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Gorgias refused the refresh token of account {Account}, but the store holds newer tokens (another process refreshed); using them")]
    private static partial void LogInvalidGrantButStoreChanged(ILogger logger, string account);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Gorgias refused the refresh token of account {Account} (invalid_grant): the app was uninstalled or revoked there; the installation needs a new install")]
    private static partial void LogAccessLost(ILogger logger, string account);
}

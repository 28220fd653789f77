using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>
/// Tells the other instances sharing the storage that an account's tokens or installation changed (an install or
/// re-install, a refresh, an uninstall, lost access), so they drop their cached copy at once instead of after
/// <c>Gorgias:TokenCacheRevalidation</c>. Published after the change is stored; delivery is best effort, and the
/// periodic re-validation stays the fallback for a signal that was lost.
/// </summary>
/// <remarks>
/// PostgreSQL delivers it with <c>NOTIFY</c>. SQLite has none (the default does nothing): instances on one SQLite file
/// see each other's changes through the periodic re-validation only, so lower <c>Gorgias:TokenCacheRevalidation</c>
/// when they must see them sooner. An adapter hands the signals it receives to <see cref="ITokenChangeSink"/>.
/// </remarks>
public interface ITokenChangeSignal
{
    /// <summary>Announces that <paramref name="account"/> changed. Must not throw for a delivery failure: the change is stored already.</summary>
    ValueTask PublishAsync(AccountName account, CancellationToken cancellationToken);
}

/// <summary>The receiving side of <see cref="ITokenChangeSignal"/>, implemented by the core: drops the account's cached tokens.</summary>
public interface ITokenChangeSink
{
    /// <summary>Another instance changed <paramref name="account"/>: its next token request reads the store.</summary>
    void AccountChanged(AccountName account);

    /// <summary>Signals may have been missed (a dropped connection): every cached token is read from the store again.</summary>
    void SignalsMayHaveBeenMissed();
}

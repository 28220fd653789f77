using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>The default <see cref="ITokenChangeSignal"/>: nothing to tell, one process sees its own changes at once.</summary>
internal sealed class NoTokenChangeSignal : ITokenChangeSignal
{
    public ValueTask PublishAsync(AccountName account, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary><see cref="ITokenChangeSink"/> on this process's <see cref="AccessTokenCache"/>.</summary>
internal sealed class CacheInvalidatingTokenChangeSink(AccessTokenCache cache) : ITokenChangeSink
{
    public void AccountChanged(AccountName account) => cache.Invalidate(account);

    public void SignalsMayHaveBeenMissed() => cache.InvalidateAll();
}

using System.Collections.Concurrent;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// The default <see cref="IRefreshLease"/> when the storage registers none: one holder per account in this process.
/// It protects nothing across processes; a storage shared by several instances registers its own.
/// </summary>
internal sealed class InProcessRefreshLease : IRefreshLease
{
    private readonly ConcurrentDictionary<AccountName, SemaphoreSlim> _gates = new();

    public async Task<IAsyncDisposable?> AcquireAsync(AccountName account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var gate = _gates.GetOrAdd(account, static _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Held(gate);
    }

    private sealed class Held(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}

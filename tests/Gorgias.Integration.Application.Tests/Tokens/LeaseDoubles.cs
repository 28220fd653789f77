using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Tests.Tokens;

/// <summary>A storage without a cross-process lease: every caller gets one at once.</summary>
internal sealed class NoCrossProcessLease : IRefreshLease
{
    public Task<IAsyncDisposable?> AcquireAsync(AccountName account, CancellationToken cancellationToken) =>
        Task.FromResult<IAsyncDisposable?>(new Nothing());

    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>Wraps the real lease and says when a caller started waiting for it.</summary>
internal sealed class ObservedLease(IRefreshLease inner) : IRefreshLease
{
    private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first caller asks for the lease.</summary>
    public Task Requested => _requested.Task;

    public Task<IAsyncDisposable?> AcquireAsync(AccountName account, CancellationToken cancellationToken)
    {
        _requested.TrySetResult();
        return inner.AcquireAsync(account, cancellationToken);
    }
}

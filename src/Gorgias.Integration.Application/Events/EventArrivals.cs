namespace Gorgias.Integration.Application.Events;

/// <summary>
/// Wakes this process's dispatcher when a delivery was stored here, so the host's handler runs within moments instead
/// of at the next poll; events stored by other instances are found by the poll (<c>Gorgias:Events:PollInterval</c>).
/// </summary>
internal sealed class EventArrivals
{
    private TaskCompletionSource _arrived = New();

    /// <summary>Completes the current wait.</summary>
    public void Signal() => Volatile.Read(ref _arrived).TrySetResult();

    /// <summary>Waits for the next <see cref="Signal"/> (or one since the last wait) or <paramref name="timeout"/>.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var arrived = Volatile.Read(ref _arrived).Task;
        await Task.WhenAny(arrived, Task.Delay(timeout, time, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        if (arrived.IsCompleted)
        {
            // A signal lost between the wake-up and this exchange belongs to an event already stored, which the dispatch that
            // follows the wait finds.
            Interlocked.Exchange(ref _arrived, New());
        }
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

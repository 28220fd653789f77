using System.Collections.Concurrent;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// Concurrent callers for one key share one task in flight; once it ends, the next caller starts afresh. The work runs
/// off the caller's thread and without any caller's cancellation, so a caller that gives up does not cancel it for the others.
/// </summary>
/// <typeparam name="TKey">What the work is for (an account).</typeparam>
/// <typeparam name="TState">What the caller that started the work asked for; joiners see it to judge whether it serves them.</typeparam>
/// <typeparam name="TResult">The work's outcome.</typeparam>
internal sealed class SingleFlight<TKey, TState, TResult>(Func<TKey, TState, Task<TResult>> work)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Flight> _flights = new();
    private readonly Func<TKey, TState, Task<TResult>> _work = work;

    /// <summary>Joins the flight for <paramref name="key"/>, or starts one with <paramref name="state"/>.</summary>
    public Joined Join(TKey key, TState state)
    {
        var candidate = new Flight(state);
        var flight = _flights.GetOrAdd(key, candidate);
        return new Joined(flight.Run(this, key), flight.State, ReferenceEquals(flight, candidate));
    }

    /// <summary>The shared task, the state it was started with, and whether this caller started it.</summary>
    internal readonly record struct Joined(Task<TResult> Task, TState State, bool StartedHere);

    private sealed class Flight(TState state)
    {
        private readonly Lock _gate = new();
        private Task<TResult>? _task;

        public TState State { get; } = state;

        public Task<TResult> Run(SingleFlight<TKey, TState, TResult> owner, TKey key)
        {
            lock (_gate)
            {
                return _task ??= Start(owner, key);
            }
        }

        private Task<TResult> Start(SingleFlight<TKey, TState, TResult> owner, TKey key) =>
            // Off the caller's thread: SQLite's async calls complete synchronously, and no caller's context belongs to shared work.
            Task.Run(() => RunThenLeave(owner, key), CancellationToken.None);

        private async Task<TResult> RunThenLeave(SingleFlight<TKey, TState, TResult> owner, TKey key)
        {
            try
            {
                return await owner._work(key, State).ConfigureAwait(false);
            }
            finally
            {
                // Before the task completes, not in a continuation after it: a caller that sees the run end and calls
                // again at once would otherwise join the ended run and get its old outcome (a fault, a stale token).
                owner._flights.TryRemove(new KeyValuePair<TKey, Flight>(key, this));
            }
        }
    }
}

using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports the timers created on it, so a test advances time only once the wait
/// it means to end (a Retry-After delay, a timeout) has started: no sleeping, no guessing.
/// </summary>
public sealed class WatchedTimeProvider(FakeTimeProvider fake) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TimeSpan, int> _created = [];
    private readonly List<(TimeSpan Due, int Count, TaskCompletionSource Signal)> _waiters = [];

    public WatchedTimeProvider()
        : this(new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)))
    {
    }

    public override TimeZoneInfo LocalTimeZone => fake.LocalTimeZone;

    public override long TimestampFrequency => fake.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() => fake.GetUtcNow();

    public override long GetTimestamp() => fake.GetTimestamp();

    public void Advance(TimeSpan delta) => fake.Advance(delta);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = fake.CreateTimer(callback, state, dueTime, period);
        lock (_lock)
        {
            var count = _created[dueTime] = _created.GetValueOrDefault(dueTime) + 1;
            foreach (var waiter in _waiters.Where(w => w.Due == dueTime && w.Count <= count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Signal.TrySetResult();
            }
        }

        return timer;
    }

    /// <summary>Completes once the <paramref name="occurrence"/>th timer due in <paramref name="dueTime"/> has been created.</summary>
    public Task WaitForTimerAsync(TimeSpan dueTime, int occurrence = 1)
    {
        lock (_lock)
        {
            if (_created.GetValueOrDefault(dueTime) >= occurrence)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((dueTime, occurrence, signal));

            // A guard against a hung test run, not a timing assertion.
            return signal.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}

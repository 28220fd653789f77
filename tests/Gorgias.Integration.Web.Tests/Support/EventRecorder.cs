using System.Collections.Concurrent;
using Gorgias.Integration.Application.Notifications;
using Mediator;

namespace Gorgias.Integration.Web.Tests.Support;

/// <summary>
/// The host's handler of <see cref="GorgiasEventReceived"/> in tests: records every hand-over, can be told to throw, and
/// lets a test wait for the n-th hand-over (a signal with a deadline, never a sleep).
/// </summary>
public sealed class EventRecorder : INotificationHandler<GorgiasEventReceived>, INotificationHandler<EventIntegrationReactivatedNotification>
{
    private readonly ConcurrentQueue<GorgiasEventReceived> _received = new();
    private readonly ConcurrentQueue<EventIntegrationReactivatedNotification> _reactivated = new();
    private readonly SemaphoreSlim _arrivals = new(0);
    private readonly SemaphoreSlim _reactivations = new(0);

    public IReadOnlyList<GorgiasEventReceived> Received => [.. _received];

    public IReadOnlyList<EventIntegrationReactivatedNotification> Reactivated => [.. _reactivated];

    /// <summary>When set, a hand-over is recorded and then fails with this exception.</summary>
    public Func<GorgiasEventReceived, Exception?> Fail { get; set; } = static _ => null;

    public ValueTask Handle(GorgiasEventReceived notification, CancellationToken cancellationToken)
    {
        _received.Enqueue(notification);
        _arrivals.Release();
        return Fail(notification) is { } failure ? ValueTask.FromException(failure) : ValueTask.CompletedTask;
    }

    public ValueTask Handle(EventIntegrationReactivatedNotification notification, CancellationToken cancellationToken)
    {
        _reactivated.Enqueue(notification);
        _reactivations.Release();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Waits for the next hand-over while moving <paramref name="time"/> on by <paramref name="step"/> whenever none came
    /// within a moment (the dispatcher's retry and poll wait on that clock), at most 20 steps.
    /// </summary>
    public async Task AdvanceUntilHandedOverAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider time, TimeSpan step)
    {
        for (var i = 0; i < 20; i++)
        {
            if (await _arrivals.WaitAsync(TimeSpan.FromMilliseconds(250)))
            {
                return;
            }

            time.Advance(step);
        }

        Assert.Fail($"No hand-over came within 20 steps of {step}.");
    }

    /// <summary>Waits for the next reactivation notification, or fails after 15 s.</summary>
    public async Task WaitForReactivationAsync() =>
        Assert.True(await _reactivations.WaitAsync(TimeSpan.FromSeconds(15)), "No reactivation was announced within 15 s.");

    /// <summary>Waits until <paramref name="count"/> hand-overs happened since the last wait, or fails after 15 s.</summary>
    public async Task WaitForAsync(int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(await _arrivals.WaitAsync(TimeSpan.FromSeconds(15)), $"Only {i} of {count} event hand-overs arrived within 15 s.");
        }
    }
}

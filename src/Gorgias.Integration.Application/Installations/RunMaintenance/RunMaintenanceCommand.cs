using Gorgias.Integration.Application.Installations.DispatchEvents;
using Gorgias.Integration.Application.Installations.RetryRevocations;
using Mediator;

namespace Gorgias.Integration.Application.Installations.RunMaintenance;

/// <summary>
/// One maintenance cycle: refreshes the active installations whose access token expires within
/// <paramref name="Window"/>, then retries pending revocations, purges expired pending authorizations, checks the event subscriptions due and
/// dispatches the inbox's due events.
/// The background worker sends it on its timer; a host without the worker may send it on its own schedule.
/// </summary>
/// <param name="Window">Refresh what expires before now plus this.</param>
/// <param name="BatchSize">At most this many accounts per cycle.</param>
/// <param name="MaxParallelism">Refreshes running at once.</param>
/// <param name="MaxJitter">Each refresh waits a random part of this first, so processes sharing a database spread out.</param>
public sealed record RunMaintenanceCommand(TimeSpan Window, int BatchSize, int MaxParallelism, TimeSpan MaxJitter) : ICommand<MaintenanceReport>;

/// <summary>What one maintenance cycle did.</summary>
/// <param name="Listed">Accounts expiring within the window (active installations only).</param>
/// <param name="Refreshed">Of those, how many now hold a token outside the window.</param>
/// <param name="Failed">Of those, how many failed (logged).</param>
/// <param name="Revocations">The revocation retry's result, or null when it failed (logged).</param>
/// <param name="PurgedAuthorizations">Expired pending authorizations deleted.</param>
public sealed record MaintenanceReport(int Listed, int Refreshed, int Failed, RetryPendingRevocationsResult? Revocations, int PurgedAuthorizations)
{
    /// <summary>Event subscriptions checked (or retried) at Gorgias.</summary>
    public int EventSubscriptionsChecked { get; init; }

    /// <summary>The event dispatch's result, or null when it failed (logged).</summary>
    public DispatchEventsReport? Events { get; init; }
}

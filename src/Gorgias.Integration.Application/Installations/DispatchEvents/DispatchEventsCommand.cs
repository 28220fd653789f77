using Mediator;

namespace Gorgias.Integration.Application.Installations.DispatchEvents;

/// <summary>
/// Hands the inbox's due events to the host's <c>INotificationHandler&lt;GorgiasEventReceived&gt;</c>, each claimed by
/// this instance alone, the oldest of each account first, until none is due or <paramref name="MaxRounds"/> claims were
/// made; then purges handled events older than <c>Gorgias:Events:HandledRetention</c>.
/// </summary>
/// <param name="MaxRounds">At most this many claims (of up to <c>Gorgias:Events:BatchSize</c> events each) per command.</param>
public sealed record DispatchEventsCommand(int MaxRounds = 100) : ICommand<DispatchEventsReport>;

/// <summary>What one dispatch did.</summary>
/// <param name="Handled">Events a handler took.</param>
/// <param name="Retried">Events whose handler threw, due again later.</param>
/// <param name="Parked">Events set aside after their last allowed attempt.</param>
/// <param name="Purged">Handled events deleted after the retention.</param>
public sealed record DispatchEventsReport(int Handled, int Retried, int Parked, int Purged);

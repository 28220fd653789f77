using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Notifications;

/// <summary>
/// Gorgias had deactivated one of the account's event integrations (after 100 failed calls in a row) and the worker
/// reactivated it. Deliveries Gorgias gave up on meanwhile are lost: a host may read <c>/api/events</c> to catch up.
/// </summary>
/// <param name="Account">The account.</param>
/// <param name="Trigger">The integration's trigger.</param>
/// <param name="IntegrationId">The integration's id at Gorgias.</param>
/// <param name="OccurredAt">When it was reactivated.</param>
public sealed record EventIntegrationReactivatedNotification(AccountName Account, string Trigger, long IntegrationId, DateTimeOffset OccurredAt) : INotification;

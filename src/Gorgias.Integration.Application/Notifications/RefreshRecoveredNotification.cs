using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Notifications;

/// <summary>A refresh succeeded for an account that was <c>RefreshFailing</c>: it is Active again.</summary>
/// <param name="Account">The Gorgias account.</param>
/// <param name="OccurredAt">When.</param>
public sealed record RefreshRecoveredNotification(AccountName Account, DateTimeOffset OccurredAt) : INotification;

using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Notifications;

/// <summary>
/// Gorgias refused an account's refresh token: the user uninstalled or revoked the app in Gorgias (Gorgias sends
/// no uninstall webhook; this is how the app learns). The installation needs the user to install again.
/// </summary>
/// <param name="Account">The Gorgias account.</param>
/// <param name="Reason">Why, in a few words (never a token).</param>
/// <param name="OccurredAt">When.</param>
public sealed record AccessLostNotification(AccountName Account, string Reason, DateTimeOffset OccurredAt) : INotification;

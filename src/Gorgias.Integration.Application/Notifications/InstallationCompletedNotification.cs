using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Notifications;

/// <summary>
/// The app was authorized for an account (first install or re-install). A host app handles it with an
/// <c>INotificationHandler&lt;InstallationCompletedNotification&gt;</c> registered in DI.
/// </summary>
/// <param name="Account">The Gorgias account (subdomain).</param>
/// <param name="Scopes">The scopes Gorgias granted.</param>
/// <param name="IsReinstall">True when the account had been installed before.</param>
/// <param name="OccurredAt">When.</param>
public sealed record InstallationCompletedNotification(AccountName Account, IReadOnlyList<string> Scopes, bool IsReinstall, DateTimeOffset OccurredAt) : INotification;

using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Notifications;

/// <summary>The app was uninstalled from an account.</summary>
/// <param name="Account">The Gorgias account.</param>
/// <param name="OccurredAt">When.</param>
public sealed record InstallationUninstalledNotification(AccountName Account, DateTimeOffset OccurredAt) : INotification;

using Gorgias.Integration.Domain.Common;

namespace Gorgias.Integration.Domain.Installations.Events;

/// <summary>The app was uninstalled from <paramref name="Account"/>.</summary>
public sealed record InstallationUninstalled(AccountName Account, DateTimeOffset OccurredAt) : IDomainEvent;

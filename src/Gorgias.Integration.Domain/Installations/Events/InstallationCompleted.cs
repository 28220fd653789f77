using Gorgias.Integration.Domain.Common;

namespace Gorgias.Integration.Domain.Installations.Events;

/// <summary>The app was authorized for <paramref name="Account"/> (a first install or a re-install).</summary>
public sealed record InstallationCompleted(
    AccountName Account, IReadOnlyList<string> Scopes, bool IsReinstall, DateTimeOffset OccurredAt) : IDomainEvent;

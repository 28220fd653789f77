using Gorgias.Integration.Domain.Common;

namespace Gorgias.Integration.Domain.Installations.Events;

/// <summary>Gorgias refused the refresh token for <paramref name="Account"/>: the user must install again.</summary>
public sealed record AccessLost(AccountName Account, string Reason, DateTimeOffset OccurredAt) : IDomainEvent;

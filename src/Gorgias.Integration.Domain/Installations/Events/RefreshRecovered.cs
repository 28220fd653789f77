using Gorgias.Integration.Domain.Common;

namespace Gorgias.Integration.Domain.Installations.Events;

/// <summary>A refresh of <paramref name="Account"/> succeeded after it was marked as failing.</summary>
public sealed record RefreshRecovered(AccountName Account, DateTimeOffset OccurredAt) : IDomainEvent;

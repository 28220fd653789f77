using Gorgias.Integration.Domain.Common;

namespace Gorgias.Integration.Domain.Installations.Events;

/// <summary>Refreshes of <paramref name="Account"/> keep failing (<paramref name="LastError"/>, never a token); the tokens are kept.</summary>
public sealed record RefreshFailing(AccountName Account, string LastError, int ConsecutiveFailures, DateTimeOffset OccurredAt) : IDomainEvent;

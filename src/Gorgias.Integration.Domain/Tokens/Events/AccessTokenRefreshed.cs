using Gorgias.Integration.Domain.Common;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Domain.Tokens.Events;

/// <summary>
/// <paramref name="Account"/>'s access token was renewed; it expires at <paramref name="ExpiresAt"/>, and
/// <paramref name="RefreshTokenRotated"/> says whether Gorgias also issued a new refresh token. Carries no token.
/// </summary>
public sealed record AccessTokenRefreshed(AccountName Account, DateTimeOffset ExpiresAt, bool RefreshTokenRotated, DateTimeOffset OccurredAt) : IDomainEvent;

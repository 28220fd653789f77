using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Notifications;

/// <summary>
/// An account's access token was renewed at Gorgias and the new one is stored. Published once per refresh, by the
/// process that stored it. Carries no token.
/// </summary>
/// <param name="Account">The Gorgias account.</param>
/// <param name="ExpiresAt">When the new access token expires.</param>
/// <param name="RefreshTokenRotated">True when Gorgias also issued a new refresh token (stored with the access token).</param>
/// <param name="OccurredAt">When.</param>
public sealed record AccessTokenRefreshedNotification(AccountName Account, DateTimeOffset ExpiresAt, bool RefreshTokenRotated, DateTimeOffset OccurredAt) : INotification;

using Gorgias.Integration.Application.Common.Results;
using Mediator;

namespace Gorgias.Integration.Application.Installations.RefreshToken;

/// <summary>Renews an installation's access token now (admin route, background worker).</summary>
/// <param name="Account">The account, untrusted.</param>
public sealed record RefreshTokenCommand(string? Account) : ICommand<Result<RefreshTokenResult>>;

/// <summary>The access token was renewed.</summary>
/// <param name="Account">The account.</param>
/// <param name="AccessTokenExpiresAt">When the new access token expires.</param>
public sealed record RefreshTokenResult(string Account, DateTimeOffset AccessTokenExpiresAt);

using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Installations.RefreshToken;

/// <summary>Renews an installation's access token now (admin route, background worker).</summary>
/// <param name="Account">The account: raw input, parsed once here (an invalid one is a validation error naming <c>Account</c>).</param>
public sealed record RefreshTokenCommand(string? Account) : ICommand<Result<RefreshTokenResult>>
{
    /// <summary>
    /// When set, the token is renewed only if it expires within this time, judged on the stored token after any
    /// concurrent refresh (another process's included). The background worker sets it, so two workers that listed the
    /// same account refresh it once. When null (the admin route), the token is renewed whatever its expiry.
    /// </summary>
    public TimeSpan? IfExpiringWithin { get; init; }
}

/// <summary>The access token was renewed.</summary>
/// <param name="Account">The account.</param>
/// <param name="AccessTokenExpiresAt">When the new access token expires.</param>
public sealed record RefreshTokenResult(AccountName Account, DateTimeOffset AccessTokenExpiresAt);

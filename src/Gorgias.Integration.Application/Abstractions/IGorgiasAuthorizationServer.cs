using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>Gorgias's OAuth2 endpoints for one account: <c>/oauth/token</c> and <c>/oauth/revoke</c>.</summary>
public interface IGorgiasAuthorizationServer
{
    /// <summary>Exchanges an authorization code (grant_type=authorization_code).</summary>
    Task<TokenEndpointResult> ExchangeCodeAsync(CodeExchange exchange, CancellationToken cancellationToken);

    /// <summary>Renews the access token (grant_type=refresh_token).</summary>
    Task<TokenEndpointResult> RefreshAsync(AccountName account, string refreshToken, CancellationToken cancellationToken);

    /// <summary>Revokes a refresh token (RFC 7009).</summary>
    Task<RevocationResult> RevokeAsync(AccountName account, string refreshToken, CancellationToken cancellationToken);
}

/// <summary>What is sent to exchange an authorization code.</summary>
/// <param name="Account">The account, from the stored flow only.</param>
/// <param name="Code">The code from the callback.</param>
/// <param name="RedirectUri">Byte-identical to the one sent to the authorize endpoint.</param>
/// <param name="CodeVerifier">The PKCE verifier, or null.</param>
public sealed record CodeExchange(AccountName Account, string Code, string RedirectUri, string? CodeVerifier)
{
    /// <summary>Never prints the code or verifier.</summary>
    public override string ToString() => $"CodeExchange {{ Account = {Account} }}";
}

using Refit;

namespace Gorgias.Integration.Infrastructure.Gorgias;

/// <summary>
/// Gorgias's OAuth2 endpoints of one account (the base address is <c>https://{account}.gorgias.com</c>). Both return the
/// raw response, headers read and body unread, so the adapter classifies errors and caps the body itself.
/// </summary>
internal interface IGorgiasOAuthApi
{
    /// <summary>POST /oauth/token with HTTP Basic client authentication.</summary>
    /// <param name="clientCredentials">base64(urlencode(id) ":" urlencode(secret)), RFC 6749 §2.3.1.</param>
    /// <param name="form">The grant's parameters.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    [Post("/oauth/token")]
    [Headers("Accept: application/json")]
    Task<HttpResponseMessage> RequestTokenAsync(
        [Authorize("Basic")] string clientCredentials,
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        CancellationToken cancellationToken);

    /// <summary>POST /oauth/revoke (RFC 7009) with HTTP Basic client authentication.</summary>
    /// <param name="clientCredentials">base64(urlencode(id) ":" urlencode(secret)), RFC 6749 §2.3.1.</param>
    /// <param name="form"><c>token</c> and <c>token_type_hint</c>.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    [Post("/oauth/revoke")]
    [Headers("Accept: application/json")]
    Task<HttpResponseMessage> RevokeAsync(
        [Authorize("Basic")] string clientCredentials,
        [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form,
        CancellationToken cancellationToken);
}

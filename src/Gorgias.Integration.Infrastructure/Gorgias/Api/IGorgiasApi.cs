using Refit;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// Gorgias's REST API for one account, from <see cref="IGorgiasApiFactory.For"/>. Every call carries the account's
/// access token (a 401 is answered by one refresh and one retry), stays within the account's request budget, waits
/// out a short <c>Retry-After</c> on 429 or 503 for idempotent requests, and reads at most a bounded body within
/// <c>Gorgias:HttpTimeout</c> per attempt.
/// </summary>
/// <remarks>
/// An HTTP error status throws <see cref="GorgiasApiException"/> (an <see cref="ApiException"/> with a
/// <see cref="GorgiasApiException.Kind"/> to switch on); a call needing a scope the installation lacks throws
/// <see cref="GorgiasScopeException"/> before anything is sent; <see cref="ApiRequestException"/>
/// when no usable answer came (timeout, dropped connection, body too large), and
/// <see cref="Application.Tokens.GorgiasAccessException"/> unwrapped when no access token can be had for the account
/// (not installed, re-authorization required, Gorgias unavailable for the refresh).
/// </remarks>
public interface IGorgiasApi : IGorgiasTicketsApi, IGorgiasCustomersApi, IGorgiasUsersAndEventsApi, IGorgiasIntegrationsApi
{
    /// <summary><c>GET /api/account</c>: the account the token belongs to.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/api/account")]
    [Headers("Accept: application/json")]
    Task<GorgiasAccountResponse> GetAccountAsync(CancellationToken cancellationToken);

    /// <summary><c>GET /api/account</c> with the status code and headers; an HTTP error is returned, not thrown.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/api/account")]
    [Headers("Accept: application/json")]
    Task<IApiResponse<GorgiasAccountResponse>> GetAccountResponseAsync(CancellationToken cancellationToken);
}

using Refit;

namespace Gorgias.Integration.Cli;

/// <summary>
/// Any <c>GET /api/…</c> of Gorgias's REST API on the library's client pipeline (scope check, the account's token with
/// one refresh and retry on 401, rate limits, bounded body), for <c>gorgias-integration api</c>. The body is returned
/// as Gorgias sent it; an HTTP error throws the pipeline's <c>GorgiasApiException</c>.
/// </summary>
internal interface IGorgiasPathApi
{
    /// <summary><c>GET /{path}?{query}</c>.</summary>
    /// <param name="path">The path after the first slash, e.g. <c>api/tickets/12</c>; each segment is escaped, slashes kept.</param>
    /// <param name="query">The query parameters.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/{**path}")]
    [Headers("Accept: application/json")]
    Task<string> GetAsync(string path, [Query] IDictionary<string, string> query, CancellationToken cancellationToken);
}

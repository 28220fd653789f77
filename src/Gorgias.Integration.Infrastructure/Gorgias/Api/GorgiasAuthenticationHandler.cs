using System.Net;
using System.Net.Http.Headers;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// Attaches the account's access token as a bearer token. When Gorgias answers 401, asks for a new token with
/// <see cref="IGorgiasAccessTokenProvider.RefreshAfterRejectionAsync"/> and sends the request once more; a second 401
/// is returned as it is (SECURITY.md row 23: one refresh, one retry, then stop). <see cref="GorgiasAccessException"/>
/// (not installed, re-authorization required, Gorgias unavailable) propagates to the caller.
/// </summary>
internal sealed partial class GorgiasAuthenticationHandler(
    IGorgiasAccessTokenProvider tokens,
    IOptions<GorgiasOptions> options,
    ILogger<GorgiasAuthenticationHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = GorgiasApiRequest.AccountOf(request);
        EnsureAccountOrigin(request, account);

        // The retry sends the same body again; a streamed body could be read only once.
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken);
        }

        var token = await tokens.GetAccessTokenAsync(account, cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        LogRejected(logger, account);
        var refreshed = await tokens.RefreshAfterRejectionAsync(account, token.Value, cancellationToken);
        var retry = await CloneAsync(request, cancellationToken);
        retry.Headers.Authorization = new AuthenticationHeaderValue("Bearer", refreshed.Value);
        return await base.SendAsync(retry, cancellationToken);
    }

    /// <summary>An account's token goes to that account's Gorgias only, whatever URL a caller built.</summary>
    private void EnsureAccountOrigin(HttpRequestMessage request, AccountName account)
    {
        var expected = options.Value.BaseUriFor(account);
        var target = request.RequestUri;
        if (target is null
            || !target.IsAbsoluteUri
            || Uri.Compare(target, expected, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0
            || !target.AbsolutePath.StartsWith(expected.AbsolutePath.TrimEnd('/') + "/", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"A Gorgias API request for account '{account}' must go to {expected}.");
        }
    }

    private static async Task<HttpRequestMessage> CloneAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var clone = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };
        foreach (var (name, values) in request.Headers)
        {
            clone.Headers.TryAddWithoutValidation(name, values);
        }

        foreach (var (key, value) in request.Options)
        {
            ((IDictionary<string, object?>)clone.Options)[key] = value;
        }

        if (request.Content is not null)
        {
            var body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
            clone.Content = new ByteArrayContent(body);
            foreach (var (name, values) in request.Content.Headers)
            {
                clone.Content.Headers.TryAddWithoutValidation(name, values);
            }
        }

        return clone;
    }

    [LoggerMessage(EventId = 1430, Level = LogLevel.Information, Message = "Gorgias rejected the access token of account {Account} (401); refreshing it and retrying once")]
    private static partial void LogRejected(ILogger logger, AccountName account);
}

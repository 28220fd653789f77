using System.Collections.Concurrent;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// The outermost step of the pooled chain: a request needing a scope the installation was not granted fails with
/// <see cref="GorgiasScopeException"/> before a token is fetched or anything is sent (SECURITY.md row 51). The granted
/// scopes are the installation's, read at most once per <c>Gorgias:TokenCacheRevalidation</c> per account; an account
/// with no stored installation, or one whose grant named no scopes, is left to the token layer and to Gorgias.
/// </summary>
internal sealed class GorgiasScopeHandler(GrantedScopeCache grants, IOptions<GorgiasOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var account = GorgiasApiRequest.AccountOf(request);
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            var basePath = options.Value.BaseUriFor(account).AbsolutePath.TrimEnd('/');
            var path = uri.AbsolutePath.AsSpan();
            if (path.StartsWith(basePath, StringComparison.Ordinal)
                && GorgiasScopes.RequiredFor(request.Method, path[basePath.Length..]) is { } required
                && await grants.GetAsync(account, cancellationToken) is { Count: > 0 } granted
                && !GorgiasScopes.Covers(granted, required))
            {
                throw new GorgiasScopeException(account, required);
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Each account's granted scopes, read from the installation and kept for <c>Gorgias:TokenCacheRevalidation</c>.</summary>
internal sealed class GrantedScopeCache(IInstallationRepository installations, IOptions<GorgiasOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (IReadOnlyList<string>? Scopes, long ReadAt)> _entries = new(StringComparer.Ordinal);

    /// <summary>The scopes granted to <paramref name="account"/>'s active installation, or null when it has none.</summary>
    public async ValueTask<IReadOnlyList<string>?> GetAsync(AccountName account, CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        if (_entries.TryGetValue(account.Value, out var entry) && time.GetElapsedTime(entry.ReadAt, now) < options.Value.TokenCacheRevalidation)
        {
            return entry.Scopes;
        }

        var installation = await installations.FindAsync(account, cancellationToken);
        var scopes = installation is { Status: InstallationStatus.Active } ? installation.Scopes : null;
        _entries[account.Value] = (scopes, now);
        return scopes;
    }
}

using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Options;

/// <summary>The app's registration at Gorgias and how to reach Gorgias (configuration section <c>Gorgias</c>).</summary>
public sealed class GorgiasOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Gorgias";

    /// <summary>The placeholder in <see cref="BaseUrlTemplate"/> replaced by the account.</summary>
    public const string AccountPlaceholder = "{account}";

    /// <summary>The OAuth client id from Gorgias's developer portal.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The OAuth client secret. Never logged, never stored in the database.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>The callback URL whitelisted at Gorgias, e.g. <c>https://app.example/oauth/callback</c>; <c>?account=</c> is appended.</summary>
    public string RedirectUri { get; set; } = "";

    /// <summary>Space-separated scopes to request; <c>offline</c> is needed for a refresh token.</summary>
    public string Scopes { get; set; } = "openid email profile offline account:read tickets:read tickets:write customers:read customers:write users:read events:read integrations:read integrations:write";

    /// <summary>Where an account's Gorgias lives; <c>{account}</c> is replaced by a validated account name.</summary>
    public string BaseUrlTemplate { get; set; } = "https://{account}.gorgias.com";

    /// <summary>Send PKCE (S256). Gorgias ignores it today; it protects the day Gorgias enables it.</summary>
    public bool UsePkce { get; set; } = true;

    /// <summary>Refresh an access token when it expires within this margin.</summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a cached access token is served before the store is asked again whether it is still current. Another
    /// process's refresh, uninstall or re-install is seen within this time; shorter means more database reads
    /// (one small indexed read per account and period, no decryption).
    /// </summary>
    public TimeSpan TokenCacheRevalidation { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a user has to approve an install.</summary>
    public TimeSpan AuthorizationLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Timeout of each call to Gorgias.</summary>
    public TimeSpan HttpTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The bound of the per-account refresh lease instances sharing the storage take around a refresh (SECURITY.md row
    /// 53): how long a lease taken by an instance that died keeps others waiting (SQLite; on PostgreSQL it ends with the
    /// connection), and how long an instance waits for another's refresh. Must exceed <see cref="HttpTimeout"/>.
    /// </summary>
    public TimeSpan RefreshLeaseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The Gorgias base URI for <paramref name="account"/>, with no trailing slash.</summary>
    public Uri BaseUriFor(AccountName account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new Uri(BaseUrlTemplate.Replace(AccountPlaceholder, account.Value, StringComparison.Ordinal).TrimEnd('/'));
    }

    /// <summary>The redirect URI sent for <paramref name="account"/>: the configured one plus <c>account=</c>.</summary>
    public string RedirectUriFor(AccountName account)
    {
        ArgumentNullException.ThrowIfNull(account);
        var separator = RedirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return $"{RedirectUri}{separator}account={account.Value}";
    }

    /// <summary>The configured scopes as a list.</summary>
    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

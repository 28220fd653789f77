namespace Gorgias.Integration.Web;

/// <summary>Options of the HTTP adapter (configuration section <c>Integration</c>).</summary>
public sealed class GorgiasWebOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Integration";

    /// <summary>
    /// Where the browser goes after a successful install; when empty a "connected" page is shown. Configuration
    /// only, never a request parameter (no open redirect).
    /// </summary>
    public string? PostInstallRedirect { get; set; }

    /// <summary>The cookie that binds an install flow to the browser that started it.</summary>
    public string BrowserCookieName { get; set; } = "__Host-gorgias-install";

    /// <summary>The longest query string accepted on the OAuth routes.</summary>
    public int MaxQueryLength { get; set; } = 8 * 1024;

    /// <summary>The per-client limit on <c>/oauth/install</c> (section <c>Integration:InstallRateLimit</c>).</summary>
    public InstallRateLimitOptions InstallRateLimit { get; } = new();
}

namespace Gorgias.Integration.Web;

/// <summary>
/// The per-client limit on <c>/oauth/install</c> (configuration section <c>Integration:InstallRateLimit</c>). An install
/// start stores nothing, but each one costs an encryption and mints a state whose callback would record one used
/// request; the limit keeps one client from spending either for everyone.
/// </summary>
public sealed class InstallRateLimitOptions
{
    /// <summary>How many installs one client address may start per <see cref="Window"/>.</summary>
    public int PermitLimit { get; set; } = 20;

    /// <summary>The fixed window the <see cref="PermitLimit"/> applies to.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Addresses of reverse proxies whose <c>X-Forwarded-For</c> is believed; a forwarded address from any other peer is
    /// ignored, so a client cannot pick its own partition.
    /// </summary>
    public IList<string> KnownProxies { get; } = [];
}

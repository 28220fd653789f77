using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Web.Http;

/// <summary>
/// A fixed window per client address on <c>/oauth/install</c> (SECURITY.md row 44). Asked by the route itself rather
/// than ASP.NET Core's rate limiting middleware: <c>MapGorgiasIntegration</c> applies it, so a host cannot forget
/// <c>UseRateLimiter</c> and silently run without it.
/// </summary>
internal sealed class InstallRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;
    private readonly HashSet<IPAddress> _proxies;

    public InstallRateLimiter(IOptions<GorgiasWebOptions> options)
    {
        var settings = options.Value.InstallRateLimit;
        _proxies = [.. settings.KnownProxies.Select(p => Normalize(IPAddress.Parse(p)))];
        // One limiter factory for every request: RateLimitPartition.GetFixedWindowLimiter builds two delegates per call.
        // AutoReplenishment off, as that helper sets it: the partitioned limiter replenishes its windows with one timer.
        var window = new FixedWindowRateLimiterOptions { PermitLimit = settings.PermitLimit, Window = settings.Window, QueueLimit = 0, AutoReplenishment = false };
        Func<IPAddress, RateLimiter> create = _ => new FixedWindowRateLimiter(window);
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(client => RateLimitPartition.Get(client, create));
    }

    /// <summary>The 429 page when <paramref name="http"/>'s client has used its window; null when the request may go on.</summary>
    public IResult? Refuse(HttpContext http)
    {
        // No peer address means an in-process server or a Unix socket: there is no client to tell apart, and the
        // global pending-install cap still applies.
        if (ClientOf(http) is not { } client)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(client);
        return lease.IsAcquired
            ? null
            : Pages.TooManyInstalls(http, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null);
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>
    /// The peer, or, when the peer is a known proxy, the nearest address in <c>X-Forwarded-For</c> that is not one.
    /// IPv6 clients are grouped by /64: one host usually holds a whole /64.
    /// </summary>
    internal IPAddress? ClientOf(HttpContext context)
    {
        if (context.Connection.RemoteIpAddress is not { } peer)
        {
            return null;
        }

        var client = Normalize(peer);
        if (_proxies.Contains(client))
        {
            var forwarded = context.Request.Headers["X-Forwarded-For"].SelectMany(v => (v ?? "").Split(',')).ToArray();
            for (var i = forwarded.Length - 1; i >= 0 && _proxies.Contains(client); i--)
            {
                if (!IPAddress.TryParse(forwarded[i].Trim(), out var hop))
                {
                    break; // unparseable: the hops before it cannot be trusted either
                }

                client = Normalize(hop);
            }
        }

        return client.AddressFamily == AddressFamily.InterNetworkV6 ? Prefix64(client) : client;
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPAddress Prefix64(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}

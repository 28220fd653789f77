using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;

namespace Gorgias.Integration.Host.Admin;

/// <summary>
/// At most <see cref="PermitLimit"/> sign-in attempts per client address per <see cref="Window"/>, whatever their
/// outcome. The admin key has at least 128 bits, so guessing is hopeless anyway; the limit keeps a guesser from
/// filling the logs and the CPU. IPv6 clients are grouped by /64, like the install route's limit. Requests without a
/// peer address (in-process servers) share one partition. Behind a reverse proxy every client shares the proxy's
/// address: an operator locked out by a flood waits one window.
/// </summary>
internal sealed class AdminSignInLimiter : IDisposable
{
    public const int PermitLimit = 5;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = PermitLimit,
            Window = Window,
            QueueLimit = 0,
        }));

    /// <summary>True when the attempt may go on; otherwise the wait until the next window.</summary>
    public (bool Allowed, TimeSpan? RetryAfter) TryAttempt(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(ClientOf(context.Connection.RemoteIpAddress));
        return lease.IsAcquired
            ? (true, null)
            : (false, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window);
    }

    public void Dispose() => _limiter.Dispose();

    private static string ClientOf(IPAddress? peer)
    {
        if (peer is null)
        {
            return "";
        }

        var address = peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer;
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes).ToString();
    }
}

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// How the REST API client paces its own calls to each account (configuration section <c>Gorgias:ApiRateLimit</c>), so that
/// it stays within Gorgias's budget instead of collecting 429s. The defaults fit Gorgias's leaky bucket for OAuth apps:
/// 80 requests per 20 seconds per account, shared by everything the app does for that account.
/// </summary>
public sealed class GorgiasApiRateLimitOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Gorgias:ApiRateLimit";

    /// <summary>Requests one account may make in a burst; the budget refills at <c>PermitLimit</c> per <see cref="Window"/>.</summary>
    public int PermitLimit { get; set; } = 80;

    /// <summary>The time in which a spent budget refills completely (Gorgias: 20 s, 10 s for enterprise accounts).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Requests of one account that may wait for budget; more are refused at once with a 429 that never reached Gorgias.</summary>
    public int QueueLimit { get; set; } = 20;
}

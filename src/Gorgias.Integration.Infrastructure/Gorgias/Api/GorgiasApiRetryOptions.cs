namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>When the REST API client tries a request again by itself (configuration section <c>Gorgias:ApiRetry</c>).</summary>
public sealed class GorgiasApiRetryOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Gorgias:ApiRetry";

    /// <summary>Retries of an idempotent request answered 429 or 503 (0 turns retrying off).</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>
    /// The longest <c>Retry-After</c> the client waits out by itself; a longer one is returned to the caller at once
    /// (as <c>GorgiasUnavailable</c> with its delay) instead of holding the caller's request.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}

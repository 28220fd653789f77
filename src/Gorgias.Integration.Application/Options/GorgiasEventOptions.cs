namespace Gorgias.Integration.Application.Options;

/// <summary>
/// Events from Gorgias through HTTP integrations (configuration section <c>Gorgias:Events</c>). Off until
/// <see cref="Triggers"/> names at least one trigger.
/// </summary>
public sealed class GorgiasEventOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Gorgias:Events";

    /// <summary>
    /// Comma-separated Gorgias triggers to subscribe each installed account to, e.g.
    /// <c>ticket-created,ticket-message-created</c>; empty (the default) subscribes to nothing.
    /// </summary>
    public string Triggers { get; set; } = "";

    /// <summary>
    /// The receiver's base URL Gorgias calls, <c>/{account}</c> appended; empty means <c>/events</c> on the origin of
    /// <c>Gorgias:RedirectUri</c>. Configuration only, never a request's Host header.
    /// </summary>
    public string? Url { get; set; }

    /// <summary>The start of each integration's name in Gorgias; the trigger follows, e.g. <c>Gorgias.Integration events (ticket-created)</c>.</summary>
    public string IntegrationName { get; set; } = "Gorgias.Integration events";

    /// <summary>The header that carries the account's secret on each delivery.</summary>
    public string SecretHeader { get; set; } = "X-Gorgias-Integration-Secret";

    /// <summary>The largest delivery body accepted; a larger one gets 413 and is not stored.</summary>
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Deliveries one account may make per <see cref="RateLimitWindow"/>; more get 429 (Gorgias retries them).</summary>
    public int RateLimitPermits { get; set; } = 1_200;

    /// <summary>The fixed window of <see cref="RateLimitPermits"/>.</summary>
    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Handler attempts per event; after the last one fails the event is parked (kept, not retried).</summary>
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failed attempt; it doubles with each failure up to <see cref="MaxRetry"/>.</summary>
    public TimeSpan FirstRetry { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long a dispatcher holds an event it handed to the host's handler: an instance that dies mid-handler delays the
    /// event by this much before another takes it; a handler running longer may see the event twice.
    /// </summary>
    public TimeSpan DispatchLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Events claimed at once (at most one per account).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How often the dispatcher looks for events stored by another instance (its own arrivals wake it at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long handled events are kept, so a delivery replayed within it still lands once.</summary>
    public TimeSpan HandledRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the worker checks each account's integrations at Gorgias (reactivated when deactivated, created again when deleted).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>True when at least one trigger is configured.</summary>
    public bool Enabled => TriggerList.Count > 0;

    /// <summary>The configured triggers, trimmed, without duplicates.</summary>
    public IReadOnlyList<string> TriggerList =>
        [.. Triggers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>The receiver's URL for <paramref name="account"/>, from <see cref="Url"/> or the origin of <paramref name="redirectUri"/>.</summary>
    public Uri ReceiverUriFor(Domain.Installations.AccountName account, string redirectUri)
    {
        ArgumentNullException.ThrowIfNull(account);
        var root = string.IsNullOrWhiteSpace(Url)
            ? new Uri(redirectUri, UriKind.Absolute).GetLeftPart(UriPartial.Authority) + "/events"
            : Url.TrimEnd('/');
        return new Uri(root + "/" + account.Value);
    }

    /// <summary>The name of the integration for <paramref name="trigger"/>.</summary>
    public string IntegrationNameFor(string trigger) => $"{IntegrationName} ({trigger})";
}

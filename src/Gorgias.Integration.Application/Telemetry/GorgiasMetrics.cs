using System.Diagnostics.Metrics;

namespace Gorgias.Integration.Application.Telemetry;

/// <summary>
/// The <c>Gorgias.Integration</c> meter and its instruments, one per process (a DI singleton). The meter comes from
/// the host's <see cref="IMeterFactory"/>, so a test or a host with several service providers sees only its own
/// measurements; without one (a bare service collection) the meter is created and disposed here.
/// </summary>
/// <remarks>
/// No instrument has an account tag: one series per account would grow without bound. Tag values are constants, so
/// recording allocates nothing.
/// </remarks>
internal sealed class GorgiasMetrics : IDisposable
{
    public const string OutcomeTag = "outcome";
    public const string ReasonTag = "reason";
    public const string StatusTag = "status";
    public const string ReinstallTag = "reinstall";

    /// <summary>Waiting because Gorgias answered 429 with a <c>Retry-After</c>.</summary>
    public const string RetryAfterReason = "retry_after";

    /// <summary>Waiting because Gorgias's <c>X-Gorgias-Account-Api-Call-Limit</c> said the account's bucket is near full.</summary>
    public const string CallLimitReason = "call_limit";

    /// <summary>Waiting in the client-side queue that keeps an account under <c>Gorgias:ApiRateLimit</c>.</summary>
    public const string ClientLimitReason = "client_limit";

    // Seconds: a token request takes tens of milliseconds; a rate-limit wait up to Gorgias:ApiRetry's bound.
    private static readonly IReadOnlyList<double> RefreshBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 15];
    private static readonly IReadOnlyList<double> WaitBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _refreshDuration;
    private readonly Counter<long> _refreshFailures;
    private readonly Histogram<double> _rateLimitWait;
    private readonly Counter<long> _installsCompleted;
    private readonly Counter<long> _installsFailed;
    private readonly Counter<long> _uninstalls;
    private readonly Counter<long> _eventsReceived;

    public GorgiasMetrics(IMeterFactory? meterFactory, InstallationCounts installations)
    {
        ArgumentNullException.ThrowIfNull(installations);
        var version = typeof(GorgiasMetrics).Assembly.GetName().Version?.ToString();
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(GorgiasTelemetry.MeterName, version) ?? new Meter(GorgiasTelemetry.MeterName, version);

        _refreshDuration = _meter.CreateHistogram(GorgiasTelemetry.Instruments.RefreshDuration, "s",
            "How long renewing an access token at Gorgias took, from the request to the save.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = RefreshBuckets });
        _refreshFailures = _meter.CreateCounter<long>(GorgiasTelemetry.Instruments.RefreshFailures, "{refresh}",
            "Access token renewals that failed, by error type.");
        _meter.CreateObservableGauge(GorgiasTelemetry.Instruments.Installations, installations.Observe, "{installation}",
            "Stored installations by status.");
        _rateLimitWait = _meter.CreateHistogram(GorgiasTelemetry.Instruments.RateLimitWait, "s",
            "How long a Gorgias API request waited for the account's rate limit before it was sent.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WaitBuckets });
        _installsCompleted = _meter.CreateCounter<long>(GorgiasTelemetry.Instruments.InstallsCompleted, "{install}",
            "Installs (and re-installs) completed.");
        _installsFailed = _meter.CreateCounter<long>(GorgiasTelemetry.Instruments.InstallsFailed, "{install}",
            "Install callbacks that did not complete an install, by error type.");
        _uninstalls = _meter.CreateCounter<long>(GorgiasTelemetry.Instruments.Uninstalls, "{uninstall}",
            "Uninstalls, by whether Gorgias confirmed the revocation at once (revoked) or the worker will retry it (queued).");
        _eventsReceived = _meter.CreateCounter<long>(GorgiasTelemetry.Instruments.EventsReceived, "{delivery}",
            "Event deliveries at the receiver: stored in the inbox, duplicates of a stored one, refused (wrong secret) or invalid.");
    }

    /// <summary>One refresh at Gorgias ended; <paramref name="errorType"/> is null when it succeeded.</summary>
    public void RefreshEnded(TimeSpan elapsed, string? errorType)
    {
        _refreshDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(OutcomeTag, errorType is null ? "success" : "failure"));
        if (errorType is not null)
        {
            _refreshFailures.Add(1, new KeyValuePair<string, object?>(GorgiasActivity.ErrorTypeAttribute, errorType));
        }
    }

    public void RateLimitWaited(TimeSpan wait, string reason) =>
        _rateLimitWait.Record(wait.TotalSeconds, new KeyValuePair<string, object?>(ReasonTag, reason));

    public void InstallCompleted(bool reinstall) =>
        _installsCompleted.Add(1, new KeyValuePair<string, object?>(ReinstallTag, reinstall ? "true" : "false"));

    public void InstallFailed(string errorType) =>
        _installsFailed.Add(1, new KeyValuePair<string, object?>(GorgiasActivity.ErrorTypeAttribute, errorType));

    public void Uninstalled(bool revoked) =>
        _uninstalls.Add(1, new KeyValuePair<string, object?>(OutcomeTag, revoked ? "revoked" : "queued"));

    /// <summary>A delivery reached the receiver; <paramref name="outcome"/> is one of the constant outcomes of <see cref="GorgiasTelemetry.Instruments.EventsReceived"/>.</summary>
    public void EventReceived(string outcome) =>
        _eventsReceived.Add(1, new KeyValuePair<string, object?>(OutcomeTag, outcome));

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}

using System.Diagnostics.Metrics;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Installations;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application.Telemetry;

/// <summary>
/// What the <c>gorgias.installations</c> gauge reports: the store's counts by status (<see cref="IInstallationCounter"/>,
/// one aggregate query), read again at most every <see cref="Freshness"/> however often the exporters collect.
/// </summary>
/// <remarks>
/// Counts kept in memory would be cheaper but wrong as soon as a second instance, the CLI or a restart changes the
/// store; one query per collection (an OTLP export every 60 s, a Prometheus scrape every 15–60 s) is cheap, and the
/// freshness bound keeps several exporters or a scraping storm from turning into queries. A gauge callback is
/// synchronous, so the collection waits for the query (bounded by <see cref="ReadTimeout"/>); when it fails the last
/// counts are reported again and the failure is logged without its message.
/// </remarks>
internal sealed partial class InstallationCounts(IInstallationCounter? counter, TimeProvider time, ILogger<InstallationCounts> logger)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(5);

    private static readonly InstallationStatus[] Statuses = Enum.GetValues<InstallationStatus>();

    private readonly Lock _lock = new();
    private Measurement<long>[] _last = [];
    private long _readAt;
    private bool _read;

    public IEnumerable<Measurement<long>> Observe()
    {
        if (counter is null)
        {
            return [];
        }

        lock (_lock)
        {
            if (_read && time.GetElapsedTime(_readAt) < Freshness)
            {
                return _last;
            }

            try
            {
                using var timeout = new CancellationTokenSource(ReadTimeout);

                // Collection runs on an exporter's thread or a scrape request, never under a synchronization context.
                var counts = counter.CountByStatusAsync(timeout.Token).GetAwaiter().GetResult();
                _last = [.. Statuses.Select(status => new Measurement<long>(counts.GetValueOrDefault(status),
                    new KeyValuePair<string, object?>(GorgiasMetrics.StatusTag, Name(status))))];
                _readAt = time.GetTimestamp();
                _read = true;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogCountFailed(logger, ex.GetType().Name);
            }

            return _last;
        }
    }

    internal static string Name(InstallationStatus status) => status switch
    {
        InstallationStatus.Pending => "pending",
        InstallationStatus.Active => "active",
        InstallationStatus.ReauthorizationRequired => "reauthorization_required",
        InstallationStatus.Uninstalled => "uninstalled",
        InstallationStatus.RefreshFailing => "refresh_failing",
        _ => "unknown",
    };

    [LoggerMessage(EventId = 1900, Level = LogLevel.Warning, Message = "Counting installations for the gorgias.installations gauge failed ({Failure}); the last counts are reported again")]
    private static partial void LogCountFailed(ILogger logger, string failure);
}

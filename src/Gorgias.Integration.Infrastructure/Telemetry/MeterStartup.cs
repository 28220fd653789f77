using Gorgias.Integration.Application.Telemetry;
using Microsoft.Extensions.Hosting;

namespace Gorgias.Integration.Infrastructure.Telemetry;

/// <summary>
/// Creates the <c>Gorgias.Integration</c> meter when the host starts, so that <c>gorgias.installations</c> is reported
/// from the first collection, before anything has installed, refreshed or called Gorgias.
/// </summary>
internal sealed class MeterStartup(GorgiasMetrics metrics) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(metrics);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

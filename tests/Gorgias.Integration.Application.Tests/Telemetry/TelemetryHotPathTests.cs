using System.Diagnostics.Metrics;
using Gorgias.Integration.Application.Telemetry;
using Gorgias.Integration.Application.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using static Gorgias.Integration.Application.Tests.Tokens.TokenTestKit;

namespace Gorgias.Integration.Application.Tests.Telemetry;

/// <summary>Telemetry costs the cached-token path nothing, even with every span sampled and every instrument listened to.</summary>
public sealed class TelemetryHotPathTests
{
    [Fact]
    public async Task ACachedToken_WithSpansAndMetricsListenedTo_IsServedWithoutASpanAMeasurementOrAnAllocation()
    {
        using var capture = new SpanCapture();
        await using var setup = await InstalledCore.StartAsync(services: static services => services.AddMetrics());
        var core = setup.Core;
        var meters = core.Services.GetRequiredService<IMeterFactory>();
        using var durations = new MetricCollector<double>(meters, GorgiasTelemetry.MeterName, GorgiasTelemetry.Instruments.RefreshDuration);
        await core.AccessTokenAsync("acme");
        var spansBefore = capture.Spans.Count;
        var provider = core.Provider();
        for (var i = 0; i < 100; i++)
        {
            Assert.True(provider.GetAccessTokenAsync(Acme).IsCompletedSuccessfully);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(provider.GetAccessTokenAsync(Acme).IsCompletedSuccessfully);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotEqual(0, spansBefore);
        Assert.Equal(spansBefore, capture.Spans.Count);
        Assert.Empty(durations.GetMeasurementSnapshot());
    }
}

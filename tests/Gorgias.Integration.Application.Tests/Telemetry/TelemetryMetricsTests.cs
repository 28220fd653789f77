using System.Diagnostics.Metrics;
using Gorgias.Integration.Application.Installations.CompleteAuthorization;
using Gorgias.Integration.Application.Installations.RefreshToken;
using Gorgias.Integration.Application.Installations.Uninstall;
using Gorgias.Integration.Application.Telemetry;
using Gorgias.Integration.Application.Tests.Api;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Instruments = Gorgias.Integration.Application.Telemetry.GorgiasTelemetry.Instruments;

namespace Gorgias.Integration.Application.Tests.Telemetry;

/// <summary>
/// The <c>Gorgias.Integration</c> meter read with <see cref="MetricCollector{T}"/> on each core's own
/// <see cref="IMeterFactory"/>, so measurements of other tests running at the same time never show up here.
/// </summary>
public sealed class TelemetryMetricsTests
{
    private static readonly Action<IServiceCollection> WithMetrics = static services => services.AddMetrics();

    [Fact]
    public async Task ARefresh_RecordsItsDurationWithOutcomeSuccess_AndNoFailure()
    {
        await using var setup = await InstalledCore.StartAsync(services: WithMetrics);
        using var duration = Collect<double>(setup.Core, Instruments.RefreshDuration);
        using var failures = Collect<long>(setup.Core, Instruments.RefreshFailures);

        var result = await setup.Core.SendAsync(new RefreshTokenCommand("acme"));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var measurement = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal("success", measurement.Tags["outcome"]);
        Assert.True(measurement.Value >= 0);
        Assert.Empty(failures.GetMeasurementSnapshot());
    }

    [Theory]
    [InlineData(400, """{"error":"invalid_grant"}""", "invalid_grant")]
    [InlineData(503, null, "unavailable")]
    public async Task AFailingRefresh_CountsAFailureByErrorType_AndRecordsItsDurationWithOutcomeFailure(int status, string? body, string errorType)
    {
        await using var setup = await InstalledCore.StartAsync();
        var answer = body is null ? ScriptedAnswer.Empty(status) : ScriptedAnswer.Json(status, body);
        await using var standIn = (await ScriptableGorgias.StartAsync()).On("POST", "/oauth/token", answer);
        await using var core = IntegrationCore.Create(setup.Sandbox, setup.Storage, setup.Time, WithMetrics,
            new Dictionary<string, string?> { ["Gorgias:BaseUrlTemplate"] = standIn.BaseUrlTemplate });
        using var duration = Collect<double>(core, Instruments.RefreshDuration);
        using var failures = Collect<long>(core, Instruments.RefreshFailures);

        var result = await core.SendAsync(new RefreshTokenCommand("acme"));

        Assert.False(result.IsSuccess);
        Assert.Equal(1, standIn.TokenRequests);
        var failure = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal((1L, errorType), (failure.Value, failure.Tags["error.type"]));
        Assert.Equal("failure", Assert.Single(duration.GetMeasurementSnapshot()).Tags["outcome"]);
    }

    [Fact]
    public async Task TheInstallationsGauge_ReportsInstallationsByStatus_ReadAgainOnceItsFreshnessHasPassed()
    {
        await using var setup = await InstalledCore.StartAsync(services: WithMetrics);
        await setup.Core.InstallAsync("globex");
        await setup.Core.InstallAsync("initech");
        Assert.True((await setup.Core.SendAsync(new UninstallCommand("initech"))).IsSuccess);
        using var gauge = Collect<long>(setup.Core, Instruments.Installations);

        gauge.RecordObservableInstruments();

        Assert.Equal(new Dictionary<string, long> { ["pending"] = 0, ["active"] = 2, ["reauthorization_required"] = 0, ["uninstalled"] = 1, ["refresh_failing"] = 0 },
            ByStatus(gauge));

        // Within the freshness bound the last counts are reported; after it, the store is read again.
        Assert.True((await setup.Core.SendAsync(new UninstallCommand("globex"))).IsSuccess);
        gauge.Clear();
        gauge.RecordObservableInstruments();
        Assert.Equal(2, ByStatus(gauge)["active"]);

        setup.Time.Advance(InstallationCounts.Freshness);
        gauge.Clear();
        gauge.RecordObservableInstruments();
        Assert.Equal((1L, 2L), (ByStatus(gauge)["active"], ByStatus(gauge)["uninstalled"]));
    }

    [Fact]
    public async Task InstallCallbacks_AreCountedAsCompletedOrFailedByErrorType()
    {
        await using var setup = await InstalledCore.StartAsync(account: null, services: WithMetrics);
        using var completed = Collect<long>(setup.Core, Instruments.InstallsCompleted);
        using var failed = Collect<long>(setup.Core, Instruments.InstallsFailed);

        await setup.Core.InstallAsync("acme");
        await setup.Core.InstallAsync("acme");
        await setup.Core.SendAsync(new CompleteAuthorizationCommand("acme", "a-state-that-was-never-issued-0123456789-abcdef", "code", null, "browser"));

        Assert.Equal(["false", "true"], completed.GetMeasurementSnapshot().Select(m => (string)m.Tags["reinstall"]!));
        var failure = Assert.Single(failed.GetMeasurementSnapshot());
        Assert.Equal("state_invalid", failure.Tags["error.type"]);
    }

    [Fact]
    public async Task A429WithRetryAfter_RecordsTheRateLimitWait_WithReasonRetryAfter()
    {
        await using var harness = await ApiHarness.StartAsync(static request => request.Number > 1
            ? ScriptedAnswer.Account("acme")
            : ScriptedAnswer.Json(429, """{"error":"Too Many Requests"}""", ("Retry-After", "3")), configureServices: WithMetrics);
        using var wait = new MetricCollector<double>(harness.Services.GetRequiredService<IMeterFactory>(), GorgiasTelemetry.MeterName, Instruments.RateLimitWait);

        var call = harness.Client.GetAccountAsync(ApiHarness.Acme, CancellationToken.None);
        await harness.Time.WaitForTimerAsync(TimeSpan.FromSeconds(3));
        harness.Time.Advance(TimeSpan.FromSeconds(3));
        var result = await call;

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(2, harness.Gorgias.ApiRequests);
        var measurement = Assert.Single(wait.GetMeasurementSnapshot());
        Assert.Equal((3.0, "retry_after"), (measurement.Value, measurement.Tags["reason"]));
    }

    [Fact]
    public async Task ARequestHeldBackByGorgiasCallLimitHeader_RecordsTheRateLimitWait_WithReasonCallLimit()
    {
        // 79 of 80 used: the next request waits one slot's drain (80 per 20 s: 250 ms).
        await using var harness = await ApiHarness.StartAsync(static request => request.Number > 1
            ? ScriptedAnswer.Account("acme")
            : ScriptedAnswer.Json(200, """{"domain":"acme"}""", ("X-Gorgias-Account-Api-Call-Limit", "79/80")), configureServices: WithMetrics);
        using var wait = new MetricCollector<double>(harness.Services.GetRequiredService<IMeterFactory>(), GorgiasTelemetry.MeterName, Instruments.RateLimitWait);
        Assert.True((await harness.Client.GetAccountAsync(ApiHarness.Acme, CancellationToken.None)).IsSuccess);
        Assert.Empty(wait.GetMeasurementSnapshot());

        var second = harness.Client.GetAccountAsync(ApiHarness.Acme, CancellationToken.None);
        await harness.Time.WaitForTimerAsync(TimeSpan.FromMilliseconds(250));
        harness.Time.Advance(TimeSpan.FromMilliseconds(250));

        Assert.True((await second).IsSuccess);
        var measurement = Assert.Single(wait.GetMeasurementSnapshot());
        Assert.Equal((0.25, "call_limit"), (measurement.Value, measurement.Tags["reason"]));
    }

    private static MetricCollector<T> Collect<T>(IntegrationCore core, string instrument)
        where T : struct =>
        new(core.Services.GetRequiredService<IMeterFactory>(), GorgiasTelemetry.MeterName, instrument);

    private static Dictionary<string, long> ByStatus(MetricCollector<long> gauge) =>
        gauge.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags["status"]!, m => m.Value);
}

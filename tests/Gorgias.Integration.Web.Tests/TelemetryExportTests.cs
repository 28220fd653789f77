using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Telemetry;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Testing;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// The Host's telemetry export: Prometheus text at <c>/metrics</c> only when <c>Telemetry:Prometheus</c> is true,
/// OTLP to <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> only when it is set, and no secret in any span the Host exports,
/// ASP.NET Core's included (SECURITY.md row 60).
/// </summary>
/// <remarks>
/// OpenTelemetry's meter provider listens to every meter named <c>Gorgias.Integration</c> in the process, whichever
/// service provider made it, so a Host of another test running at the same time would add its installs to these
/// counts. The class runs alone.
/// </remarks>
[Collection(ProcessWideTelemetry.Collection)]
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Metrics_WithTelemetryPrometheusTrue_ServesPrometheusTextWithTheIntegrationsMetrics()
    {
        using var host = new IntegrationHost(new Dictionary<string, string?> { ["Telemetry:Prometheus"] = "true" });
        using var browser = host.CreateNonRedirectingBrowser();
        using var installed = await BrowserFlow.InstallAsync(browser, "acme");
        using var admin = host.CreateAdmin();
        using var refreshed = await admin.PostAsync(new Uri("/installations/acme/refresh", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);

        using var anonymous = host.CreateClient();
        using var response = await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(Sample("gorgias_installations", "status=\"active\"", "1"), text);
        Assert.Matches(Sample("gorgias_installations", "status=\"uninstalled\"", "0"), text);
        Assert.Matches(Sample("gorgias_installs_completed_total", "reinstall=\"false\"", "1"), text);
        Assert.Matches(Sample("gorgias_token_refresh_duration_seconds_count", "outcome=\"success\"", "1"), text);
        Assert.DoesNotContain("acme", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WithoutTelemetryPrometheus_IsNotFound()
    {
        using var host = new IntegrationHost();
        using var client = host.CreateClient();

        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Otlp_WithTheEndpointSet_ExportsTracesAndMetricsThere_AndWithoutItTheHostHasNoProviders()
    {
        await using var collector = (await ScriptableGorgias.StartAsync()).Otherwise(ScriptedAnswer.Empty(200));
        // The collector takes the first path segment for an account: the exporter posts to /otlp/v1/traces and /otlp/v1/metrics.
        var endpoint = collector.BaseUrlTemplate.Replace("{account}", "otlp", StringComparison.Ordinal);
        using var host = new IntegrationHost(new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["Gorgias:BaseUrlTemplate"] = collector.BaseUrlTemplate,
        }, sandbox: false);
        using var browser = host.CreateNonRedirectingBrowser();
        using var started = await browser.GetAsync(new Uri("/oauth/install?account=acme", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);

        Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        Assert.True(host.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000));

        Assert.NotEmpty(collector.RequestsTo("POST", "/v1/traces"));
        Assert.NotEmpty(collector.RequestsTo("POST", "/v1/metrics"));
        using var off = new IntegrationHost();
        Assert.Null(off.Services.GetService<TracerProvider>());
        Assert.Null(off.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task Row60_AnInstallThroughTheHost_ExportsSpansWithoutTheQueryOrAnySecret_InAnyTagOfAnySpan()
    {
        var exported = new List<Activity>();
        // Tracing is on with an endpoint; the exporter's own posts go into the in-memory server like every client of the Host.
        using var host = new IntegrationHost(new Dictionary<string, string?> { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" },
            configureServices: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(exported)));
        using var browser = host.CreateNonRedirectingBrowser();

        var authorize = await BrowserFlow.StartAsync(browser, "acme");
        var callback = await BrowserFlow.DecideAsync(browser, authorize, allow: true);
        using var connected = await browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.OK, connected.StatusCode);
        var tokens = (await host.Services.GetRequiredService<ITokenSetRepository>().FindAsync(AccountName.Parse("acme"), CancellationToken.None))!;
        Assert.True(host.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));

        string[] secrets = [BrowserFlow.Query(authorize, "state")!, BrowserFlow.Query(authorize, "nonce")!, BrowserFlow.Query(callback, "code")!,
            tokens.AccessToken, tokens.RefreshToken, IntegrationHost.ClientSecret, IntegrationHost.AdminKey];
        List<Activity> spans;
        lock (exported)
        {
            spans = [.. exported];
        }

        Assert.Contains(spans, span => span.OperationName == GorgiasTelemetry.Spans.InstallComplete && (string?)span.GetTagItem(GorgiasTelemetry.AccountAttribute) == "acme");
        Assert.Contains(spans, span => (string?)span.GetTagItem("url.path") == "/oauth/callback");
        Assert.DoesNotContain(spans, span => span.GetTagItem("url.query") is not null);
        var values = spans.SelectMany(span => span.TagObjects.Select(tag => $"{tag.Key}={tag.Value}").Append(span.DisplayName)).ToList();
        foreach (var secret in secrets)
        {
            Assert.False(string.IsNullOrEmpty(secret));
            Assert.DoesNotContain(values, value => value.Contains(secret, StringComparison.Ordinal));
        }
    }

    /// <summary>A Prometheus sample line of <paramref name="metric"/> whose labels include <paramref name="label"/>, with that value.</summary>
    private static Regex Sample(string metric, string label, string value) =>
        new($"(?m)^{Regex.Escape(metric)}\\{{[^}}\\n]*{Regex.Escape(label)}[^}}\\n]*\\}} {Regex.Escape(value)}( |$)");
}

/// <summary>Tests that read process-wide listeners (OpenTelemetry's meter provider) run with no other test class alongside.</summary>
[CollectionDefinition(Collection, DisableParallelization = true)]
public sealed class ProcessWideTelemetry
{
    public const string Collection = "Process-wide telemetry";
}

using System.Diagnostics;
using Gorgias.Integration.Application.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gorgias.Integration.Host;

/// <summary>
/// The Host's telemetry export, off unless asked for: OTLP (traces and metrics) when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set, Prometheus text at <c>/metrics</c> when <c>Telemetry:Prometheus</c> is true. The integration's own source
/// and meter (<see cref="GorgiasTelemetry"/>) come with ASP.NET Core's and HttpClient's.
/// </summary>
/// <remarks>
/// Here and not in the Hosting entry point: a host app usually has its own OpenTelemetry set-up and exporters, and
/// needs only the two names; the entry point would force the SDK and these exporters on every app that embeds the core.
/// The callback and the sandbox's consent URLs carry the code and the state in their query, so the query is dropped
/// from every ASP.NET Core and HttpClient span. <c>/metrics</c> is not behind the admin key, like a scrape target
/// usually is not: it carries counts only, never an account; expose it to the scraper's network only.
/// </remarks>
internal static class HostTelemetry
{
    public const string PrometheusKey = "Telemetry:Prometheus";
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceName = "gorgias-integration";

    /// <summary>What was turned on, for the start-up line.</summary>
    public sealed record Export(bool Otlp, bool Prometheus)
    {
        public override string ToString() => (Otlp, Prometheus) switch
        {
            (true, true) => "telemetry to OTLP and /metrics",
            (true, false) => "telemetry to OTLP",
            (false, true) => "telemetry at /metrics",
            _ => "telemetry off",
        };
    }

    public static Export Add(WebApplicationBuilder builder)
    {
        var export = new Export(
            Otlp: !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]),
            Prometheus: builder.Configuration.GetValue<bool>(PrometheusKey));
        if (!export.Otlp && !export.Prometheus)
        {
            return export;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(GorgiasTelemetry.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (export.Otlp)
                {
                    metrics.AddOtlpExporter();
                }

                if (export.Prometheus)
                {
                    metrics.AddPrometheusExporter();
                }
            });
        if (export.Otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(GorgiasTelemetry.ActivitySourceName)
                .AddAspNetCoreInstrumentation(o => o.EnrichWithHttpRequest = static (activity, _) => DropQuery(activity))
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = static (activity, _) => DropQuery(activity))
                .AddOtlpExporter());
        }

        return export;
    }

    public static void Map(WebApplication app, Export export)
    {
        if (export.Prometheus)
        {
            app.MapPrometheusScrapingEndpoint();
        }
    }

    /// <summary>Keeps scheme, host and path: an OAuth query holds a code or a state, an API query a cursor or an e-mail address.</summary>
    internal static void DropQuery(Activity activity)
    {
        activity.SetTag("url.query", null);
        if (activity.GetTagItem("url.full") is string full && Uri.TryCreate(full, UriKind.Absolute, out var uri))
        {
            activity.SetTag("url.full", uri.GetLeftPart(UriPartial.Path));
        }
    }
}

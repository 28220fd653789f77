using System.Diagnostics.Metrics;
using System.Net;
using Gorgias.Integration.Application.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Gorgias.Integration.Web.Tests;

public sealed partial class EventsTests
{
    [Fact]
    public async Task EveryDelivery_IsCountedByWhatBecameOfIt_InGorgiasEventsReceived()
    {
        await InstallAsync("acme");
        using var received = new MetricCollector<long>(_host.Services.GetRequiredService<IMeterFactory>(),
            GorgiasTelemetry.MeterName, GorgiasTelemetry.Instruments.EventsReceived);
        const string Body = """{"event":"ticket-created","ticket_id":"7","delivery_key":"metric-1"}""";

        using var stored = await DeliverAsync("acme", Body, SecretOf("acme"));
        using var duplicate = await DeliverAsync("acme", Body, SecretOf("acme"));
        using var refused = await DeliverAsync("acme", Body, "wrong");
        using var invalid = await DeliverAsync("acme", """{"ticket_id":"7"}""", SecretOf("acme"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.BadRequest],
            [stored.StatusCode, duplicate.StatusCode, refused.StatusCode, invalid.StatusCode]);
        Assert.Equal(["stored", "duplicate", "refused", "invalid"],
            received.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!));
        Assert.All(received.GetMeasurementSnapshot(), m => Assert.Equal(1, m.Value));
    }
}

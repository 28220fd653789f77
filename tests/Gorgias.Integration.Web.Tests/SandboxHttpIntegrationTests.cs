using System.Text.Json.Nodes;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>The sandbox behaves like Gorgias with HTTP integrations: it retries failed calls and deactivates after 100 in a row.</summary>
public sealed class SandboxHttpIntegrationTests : IDisposable
{
    private readonly IntegrationHost _host = new(configureServices: services => services.Configure<SandboxOptions>(o =>
    {
        o.EventDeliveryAttempts = 3;
        o.EventRetryDelay = TimeSpan.Zero;
    }));

    [Fact]
    public async Task AnIntegrationWhoseCallsFail_IsRetried_AndDeactivatedAfter100FailedCallsInARow()
    {
        var data = _host.Services.GetRequiredService<SandboxData>().For("acme");
        long id;
        lock (data.Lock)
        {
            id = data.Add("integrations", new JsonObject
            {
                ["type"] = "http",
                ["name"] = "always failing",
                ["http"] = new JsonObject
                {
                    // No secret: the receiver answers 401, a failed call like any other.
                    ["url"] = "https://localhost/events/acme",
                    ["method"] = "POST",
                    ["headers"] = new JsonObject(),
                    ["form"] = new JsonObject { ["event"] = "ticket-created", ["ticket_id"] = "{{ticket.id}}" },
                    ["triggers"] = new JsonObject { ["ticket_created"] = true },
                },
            });
        }

        var integrations = _host.Services.GetRequiredService<SandboxHttpIntegrations>();
        using var browser = _host.CreateClient();

        // Three calls per ticket (the first and two retries): 33 tickets are 99 failures, the 34th's first call the 100th.
        for (var ticket = 1; ticket <= 33; ticket++)
        {
            using var created = await browser.PostAsync(new Uri("/sandbox/acme/helpdesk/tickets", UriKind.Relative), null);
            await integrations.WhenIdleAsync();
        }

        Assert.Null(Deactivated(data, id));
        using (var hundredth = await browser.PostAsync(new Uri("/sandbox/acme/helpdesk/tickets", UriKind.Relative), null))
        {
            await integrations.WhenIdleAsync();
        }

        Assert.NotNull(Deactivated(data, id));
        Assert.Equal(0, integrations.Delivered);
        var page = await browser.GetStringAsync(new Uri("/sandbox/acme/helpdesk", UriKind.Relative));
        Assert.Contains("always failing <small>deactivated</small>", page, StringComparison.Ordinal);
    }

    public void Dispose() => _host.Dispose();

    private static JsonNode? Deactivated(SandboxData.AccountData data, long id)
    {
        lock (data.Lock)
        {
            return data["integrations"][id]["deactivated_datetime"];
        }
    }
}

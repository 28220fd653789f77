using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>The admin routes that read tickets through the typed client, against the Host's sandbox, over HTTP.</summary>
public sealed class GorgiasTicketRoutesTests : IDisposable
{
    private readonly IntegrationHost _host = new();

    private SandboxMonitor Sandbox => _host.Services.GetRequiredService<SandboxMonitor>();

    [Fact]
    public async Task Tickets_AnswerOnePageWithTheNextCursor_AndTheCursorReachesTheLastPage()
    {
        await InstallAsync("acme");
        using var admin = _host.CreateAdmin();

        var first = await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations/acme/gorgias/tickets?limit=100&order_by=created_datetime:desc", UriKind.Relative));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await admin.GetFromJsonAsync<JsonElement>(new Uri($"/installations/acme/gorgias/tickets?limit=100&cursor={cursor}&order_by=created_datetime:desc", UriKind.Relative));
        var third = await admin.GetFromJsonAsync<JsonElement>(
            new Uri($"/installations/acme/gorgias/tickets?limit=100&cursor={second.GetProperty("nextCursor").GetString()}&order_by=created_datetime:desc", UriKind.Relative));

        Assert.Equal(100, first.GetProperty("data").GetArrayLength());
        Assert.Equal(250, first.GetProperty("data")[0].GetProperty("id").GetInt64());
        Assert.Equal("Sandbox ticket #250", first.GetProperty("data")[0].GetProperty("subject").GetString());
        Assert.Equal(50, third.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, third.GetProperty("nextCursor").ValueKind);
        Assert.Equal(3, Sandbox.ApiCalls);
    }

    [Fact]
    public async Task Ticket_ById_AnswersTheTicket_AndAnUnknownIdIs404()
    {
        await InstallAsync("acme");
        using var admin = _host.CreateAdmin();

        var ticket = await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations/acme/gorgias/tickets/7", UriKind.Relative));
        using var missing = await admin.GetAsync(new Uri("/installations/acme/gorgias/tickets/99999", UriKind.Relative));

        Assert.Equal(7, ticket.GetProperty("id").GetInt64());
        Assert.Equal("customer2@acme.example", ticket.GetProperty("customerEmail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=101")]
    [InlineData("order_by=drop%20table")]
    [InlineData("cursor=%3Cscript%3E")]
    public async Task Tickets_WithABadQuery_Are400AndCallNothing(string query)
    {
        await InstallAsync("acme");
        using var admin = _host.CreateAdmin();

        using var response = await admin.GetAsync(new Uri($"/installations/acme/gorgias/tickets?{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, Sandbox.ApiCalls);
    }

    [Fact]
    public async Task Tickets_ForAnUnknownAccount_Are404_AndNeedTheAdminKey()
    {
        using var admin = _host.CreateAdmin();
        using var anonymous = _host.CreateClient();

        using var unknown = await admin.GetAsync(new Uri("/installations/nobody/gorgias/tickets", UriKind.Relative));
        using var refused = await anonymous.GetAsync(new Uri("/installations/nobody/gorgias/tickets", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    public void Dispose() => _host.Dispose();

    private async Task InstallAsync(string account)
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        using var response = await BrowserFlow.InstallAsync(browser, account);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

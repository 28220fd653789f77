using System.Net;
using System.Net.Http.Headers;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.ListGorgiasTickets;
using Gorgias.Integration.Application.Tests.Support;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Infrastructure.Gorgias.Api;
using Gorgias.Integration.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gorgias.Integration.Application.Tests.Api;

/// <summary>
/// The typed resources after a real install against the sandbox, with the real token provider: paging its ~250
/// seeded tickets, its limit cap and 429s, and the scope check, which refuses before anything is sent.
/// </summary>
public sealed class GorgiasSandboxResourceTests
{
    private static readonly AccountName Acme = AccountName.Parse("acme");

    [Fact]
    public async Task EnumerateTickets_AgainstTheSandbox_ReadsAll250SeededTicketsInThreePagesOf100()
    {
        await using var scenario = await Scenario.InstallAsync();

        var tickets = await scenario.Api.EnumerateTicketsAsync(new GorgiasPageOptions { OrderBy = "created_datetime:desc" }).ToListAsync();

        Assert.Equal(250, tickets.Count);
        Assert.Equal(250, tickets.Select(t => t.Id).Distinct().Count());
        Assert.Equal(250, tickets[0].Id);
        Assert.True(tickets.Zip(tickets.Skip(1)).All(p => p.First.CreatedDatetime >= p.Second.CreatedDatetime));
        Assert.Equal(3, scenario.Sandbox.Monitor.ApiCalls);
    }

    [Fact]
    public async Task ListTickets_AgainstTheSandbox_CapsTheLimitAt100AndEndsWithANullCursor()
    {
        await using var scenario = await Scenario.InstallAsync();

        var first = await scenario.Api.ListTicketsAsync(500, null, null, null, null, CancellationToken.None);
        var last = await scenario.Api.ListTicketsAsync(100, "b2Zmc2V0OjIwMA", null, null, null, CancellationToken.None);

        Assert.Equal(100, first.Data.Count);
        Assert.NotNull(first.NextCursor);
        Assert.Equal(50, last.Data.Count);
        Assert.Null(last.NextCursor);
    }

    [Fact]
    public async Task CreateCustomer_WithAnEmailInUse_IsAConflictAndACreatedTicketCanBeReadAndDeleted()
    {
        await using var scenario = await Scenario.InstallAsync();

        var conflict = await Assert.ThrowsAsync<GorgiasApiException>(() =>
            scenario.Api.CreateCustomerAsync(new GorgiasCustomer { Email = "customer1@acme.example" }, CancellationToken.None));
        var created = await scenario.Api.CreateTicketAsync(new GorgiasTicket
        {
            Subject = "From the app",
            Messages = [new GorgiasTicketMessage { Channel = "api", Via = "api", FromAgent = false, BodyText = "Hi" }],
        }, CancellationToken.None);
        var read = await scenario.Api.GetTicketAsync(created.Id!.Value, CancellationToken.None);
        var messages = await scenario.Api.EnumerateTicketMessagesAsync(created.Id.Value).ToListAsync();
        await scenario.Api.DeleteTicketAsync(created.Id.Value, CancellationToken.None);
        var gone = await Assert.ThrowsAsync<GorgiasApiException>(() => scenario.Api.GetTicketAsync(created.Id.Value, CancellationToken.None));

        Assert.Equal(GorgiasApiErrorKind.Conflict, conflict.Kind);
        Assert.Equal("From the app", read.Subject);
        Assert.Equal("Hi", Assert.Single(messages).BodyText);
        Assert.Equal(GorgiasApiErrorKind.NotFound, gone.Kind);
    }

    [Fact]
    public async Task Sandbox_WhenTheAccountsBucketOverflows_Answers429WithRetryAfterAndTheLimitHeader()
    {
        await using var scenario = await Scenario.InstallAsync();
        var token = await scenario.Core.Services.GetRequiredService<IGorgiasAccessTokenProvider>().GetAccessTokenAsync(Acme);
        using var http = new HttpClient { BaseAddress = scenario.Sandbox.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);

        for (var i = 1; i <= 80; i++)
        {
            using var ok = await http.GetAsync(new Uri("sandbox/acme/api/users?limit=1", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal($"{i}/80", ok.Headers.GetValues("X-Gorgias-Account-Api-Call-Limit").Single());
        }

        using var limited = await http.GetAsync(new Uri("sandbox/acme/api/users?limit=1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("80/80", limited.Headers.GetValues("X-Gorgias-Account-Api-Call-Limit").Single());
    }

    /// <summary>SECURITY.md row 51.</summary>
    [Fact]
    public async Task Row51_ACallNeedingAScopeTheInstallationLacks_IsRefusedNamingTheScopeWithNoRequestSent()
    {
        await using var scenario = await Scenario.InstallAsync("openid offline account:read tickets:read");

        var read = await Assert.ThrowsAsync<GorgiasScopeException>(() => scenario.Api.ListCustomersAsync(10, null, null, null, CancellationToken.None));
        var write = await Assert.ThrowsAsync<GorgiasScopeException>(() =>
            scenario.Api.UpdateTicketAsync(1, new GorgiasTicket { Status = "closed" }, CancellationToken.None));
        var routed = await scenario.Core.SendAsync(new ListGorgiasTicketsQuery("acme", 5, null, null));

        Assert.Equal("customers:read", read.RequiredScope);
        Assert.Contains("customers:read", read.Message, StringComparison.Ordinal);
        Assert.Contains("Gorgias:Scopes", read.Message, StringComparison.Ordinal);
        Assert.Equal("tickets:write", write.RequiredScope);
        Assert.Equal(0, scenario.Sandbox.Monitor.ApiCalls - 1);
        Assert.True(routed.IsSuccess, routed.Error?.Message);
        Assert.Equal(5, routed.Value.Data.Count);
    }

    /// <summary>SECURITY.md row 51: the deprecated <c>write:all</c> still covers every resource.</summary>
    [Fact]
    public async Task Row51_AnInstallationGrantedWriteAll_MayCallEveryResource()
    {
        await using var scenario = await Scenario.InstallAsync("openid offline write:all");

        var customers = await scenario.Api.ListCustomersAsync(10, null, null, null, CancellationToken.None);
        var integration = await scenario.Api.CreateIntegrationAsync(new GorgiasIntegration { Type = "http", Name = "hook" }, CancellationToken.None);

        Assert.Equal(5, customers.Data.Count);
        Assert.Equal("hook", integration.Name);
        Assert.Equal(2, scenario.Sandbox.Monitor.ApiCalls);
    }

    /// <summary>SECURITY.md row 51, through the host route's use case: a typed error naming the scope.</summary>
    [Fact]
    public async Task Row51_TheTicketsUseCase_WithoutTicketsRead_FailsNamingTheScopeWithNoRequestSent()
    {
        await using var scenario = await Scenario.InstallAsync("openid offline account:read");

        Result<GorgiasTicketPage> result = await scenario.Core.SendAsync(new ListGorgiasTicketsQuery("acme", null, null, null));

        Assert.Equal("gorgias_scope_missing", result.Error?.Code);
        Assert.Contains("tickets:read", result.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(0, scenario.Sandbox.Monitor.ApiCalls);
    }

    private sealed class Scenario : IAsyncDisposable
    {
        private readonly SharedStorage _storage;

        private Scenario(SandboxServer sandbox, SharedStorage storage, IntegrationCore core)
        {
            Sandbox = sandbox;
            _storage = storage;
            Core = core;
        }

        public SandboxServer Sandbox { get; }

        public IntegrationCore Core { get; }

        public IGorgiasApi Api => Core.Services.GetRequiredService<IGorgiasApiFactory>().For(Acme);

        public static async Task<Scenario> InstallAsync(string? scopes = null)
        {
            var start = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
            var sandbox = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret, new FakeTimeProvider(start));
            var storage = new SharedStorage();
            var settings = scopes is null ? null : new Dictionary<string, string?> { ["Gorgias:Scopes"] = scopes };
            var core = IntegrationCore.Create(sandbox, storage, new FakeTimeProvider(start), settings: settings);
            await core.InstallAsync("acme");
            return new Scenario(sandbox, storage, core);
        }

        public async ValueTask DisposeAsync()
        {
            await Core.DisposeAsync();
            await Sandbox.DisposeAsync();
            _storage.Dispose();
        }
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Installations.DispatchEvents;
using Gorgias.Integration.Application.Installations.RunMaintenance;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Sandbox;
using Gorgias.Integration.Web.Tests.Support;
using Mediator;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// Events end to end on the Host with its sandbox (issue 13 item 7): the install subscribes, the sandbox delivers, the
/// receiver checks and stores, the worker hands the event to the host's handler once; the sandbox's integrations are
/// kept alive and removed on uninstall.
/// </summary>
public sealed partial class EventsTests : IDisposable
{
    private const string SecretHeader = "X-Gorgias-Integration-Secret";

    private readonly EventRecorder _recorder = new();
    private readonly IntegrationHost _host;

    public EventsTests()
    {
        _host = new IntegrationHost(new Dictionary<string, string?>
        {
            ["Gorgias:Events:Triggers"] = "ticket-created,ticket-message-created",
            ["Gorgias:Events:MaxAttempts"] = "2",
            ["Gorgias:Events:RateLimitPermits"] = "20",
        }, configureServices: services =>
        {
            services.AddSingleton<INotificationHandler<Application.Notifications.GorgiasEventReceived>>(_recorder);
            services.AddSingleton<INotificationHandler<Application.Notifications.EventIntegrationReactivatedNotification>>(_recorder);
        });
    }

    [Fact]
    public async Task Row52_InstallWithEvents_CreatesOneIntegrationPerTriggerWithTheSecretHeader_AndAReinstallAddsNone()
    {
        await InstallAsync("acme");
        var first = Integrations("acme");
        await InstallAsync("acme");
        var again = Integrations("acme");

        Assert.Equal(["Gorgias.Integration events (ticket-created)", "Gorgias.Integration events (ticket-message-created)"],
            first.Select(i => i["name"]!.GetValue<string>()));
        Assert.Equal(first.Select(i => i["id"]!.GetValue<long>()), again.Select(i => i["id"]!.GetValue<long>()));
        var secrets = first.Select(i => i["http"]!["headers"]![SecretHeader]!.GetValue<string>()).Distinct().ToList();
        var secret = Assert.Single(secrets);
        Assert.True(secret.Length >= 43, "The secret has at least 256 bits.");
        Assert.All(first, i => Assert.Equal("https://localhost/events/acme", i["http"]!["url"]!.GetValue<string>()));
        Assert.Equal("ticket-created", first[0]["http"]!["form"]!["event"]!.GetValue<string>());
        Assert.Equal("{{ticket.id}}", first[0]["http"]!["form"]!["ticket_id"]!.GetValue<string>());
        Assert.True(first[1]["http"]!["triggers"]!["ticket-message-created"]!.GetValue<bool>());

        // Stored only hashed and encrypted: the database file never holds the secret as text.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.DoesNotContain(secret, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(_host.DatabasePath)), StringComparison.Ordinal);

        using var admin = _host.CreateAdmin();
        var view = await admin.GetFromJsonAsync<JsonElement>(new Uri("/installations/acme", UriKind.Relative));
        Assert.Equal("Active", view.GetProperty("events").GetString());
    }

    [Fact]
    public async Task Row61_ATicketCreatedInTheSandbox_ReachesTheHandlerOnce_AlsoWhenTheDeliveryIsRetriedOrReplayed()
    {
        await InstallAsync("acme");
        using var browser = _host.CreateClient();

        using var created = await browser.PostAsync(new Uri("/sandbox/acme/helpdesk/tickets", UriKind.Relative), null);
        await _recorder.WaitForAsync();

        var received = Assert.Single(_recorder.Received);
        var ticketId = NewestTicketId("acme");
        Assert.Equal((AccountName.Parse("acme"), "ticket-created", (long?)ticketId, 1), (received.Account, received.EventName, received.TicketId, received.Attempt));
        Assert.Equal(_host.Time.GetUtcNow().UtcDateTime.ToString("s", System.Globalization.CultureInfo.InvariantCulture),
            received.OccurredAt!.Value.UtcDateTime.ToString("s", System.Globalization.CultureInfo.InvariantCulture));

        // Gorgias retrying the same call, or someone replaying it, sends the same body with the same secret.
        using var replay = await DeliverAsync("acme", received.Payload, SecretOf("acme"));
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True((await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        await DispatchAsync();
        Assert.Single(_recorder.Received);
        Assert.Single(await Inbox.ListRecentAsync(AccountName.Parse("acme"), 10, default));
    }

    [Fact]
    public async Task Row52_AMessageAddedInTheSandbox_IsDeliveredWithItsMessageId()
    {
        await InstallAsync("acme");
        using var browser = _host.CreateClient();

        using var added = await browser.PostAsync(new Uri("/sandbox/acme/helpdesk/messages", UriKind.Relative), null);
        await _recorder.WaitForAsync();

        var received = Assert.Single(_recorder.Received);
        Assert.Equal(("ticket-message-created", (long?)NewestTicketId("acme")), (received.EventName, received.TicketId));
        Assert.NotNull(received.MessageId);
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData(null)]
    [InlineData("")]
    public async Task Row52_ADeliveryWithoutTheAccountsSecret_Is401_AndNothingIsStoredOrDispatched(string? secret)
    {
        await InstallAsync("acme");

        using var refused = await DeliverAsync("acme", """{"event":"ticket-created","ticket_id":"1"}""", secret);
        using var unknownAccount = await DeliverAsync("nobody", """{"event":"ticket-created","ticket_id":"1"}""", SecretOf("acme"));
        await DispatchAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownAccount.StatusCode);
        Assert.Empty(await Inbox.ListRecentAsync(null, 10, default));
        Assert.Empty(_recorder.Received);
    }

    [Fact]
    public async Task Row52_TheSecretHeaderRepeated_IsRefusedAsAWrongOne()
    {
        await InstallAsync("acme");
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/events/acme", UriKind.Relative))
        {
            Content = new StringContent("""{"event":"ticket-created"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(SecretHeader, [SecretOf("acme"), SecretOf("acme")]);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await Inbox.ListRecentAsync(null, 10, default));
    }

    [Fact]
    public async Task Row63_AnOversizedDelivery_Is413_WithOrWithoutContentLength_AndNothingIsStored()
    {
        await InstallAsync("acme");
        var oversized = "{\"event\":\"ticket-created\",\"pad\":\"" + new string('x', 64 * 1024) + "\"}";
        using var client = _host.CreateClient();

        using var declared = await DeliverAsync("acme", oversized, SecretOf("acme"));
        using var chunked = new HttpRequestMessage(HttpMethod.Post, new Uri("/events/acme", UriKind.Relative))
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(oversized))),
        };
        chunked.Headers.Add(SecretHeader, SecretOf("acme"));
        chunked.Headers.TransferEncodingChunked = true;
        using var undeclared = await client.SendAsync(chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, undeclared.StatusCode);
        Assert.Empty(await Inbox.ListRecentAsync(null, 10, default));
    }

    [Fact]
    public async Task Row62_AFloodOfDeliveries_Gets429PastTheAccountsLimit_AndAnotherAccountIsNotSlowed()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 21; i++)
        {
            using var forged = await DeliverAsync("acme", """{"event":"ticket-created"}""", "forged");
            statuses.Add(forged.StatusCode);
            if (i == 20)
            {
                Assert.True(forged.Headers.RetryAfter is not null, "A 429 says when to come back.");
            }
        }

        using var other = await DeliverAsync("globex", """{"event":"ticket-created"}""", "forged");

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 20).Append(HttpStatusCode.TooManyRequests), statuses);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task AHandlerThatThrows_GetsTheEventAgainAfterTheBackoff_AndAfterTheLastAttemptItIsParked_AndTheAccountGoesOn()
    {
        await InstallAsync("acme");
        _recorder.Fail = e => e.TicketId == 7 ? new InvalidOperationException("the host's database is down") : null;

        using var failing = await DeliverAsync("acme", """{"event":"ticket-created","ticket_id":"7"}""", SecretOf("acme"));
        using var next = await DeliverAsync("acme", """{"event":"ticket-created","ticket_id":"8"}""", SecretOf("acme"));
        await _recorder.WaitForAsync();

        // The retry comes after Gorgias:Events:FirstRetry (5 s); ticket 8 waits behind ticket 7 until 7 is parked.
        await _recorder.AdvanceUntilHandedOverAsync(_host.Time, TimeSpan.FromSeconds(5));
        await _recorder.WaitForAsync();

        Assert.Equal([(7L, 1), (7L, 2), (8L, 1)], _recorder.Received.Select(e => (e.TicketId!.Value, e.Attempt)));
        var parked = (await Inbox.ListRecentAsync(AccountName.Parse("acme"), 10, default)).Single(e => e.TicketId == 7);
        Assert.Equal(2, parked.Attempts);
        Assert.NotNull(parked.ParkedAt);
        Assert.Null(parked.HandledAt);
        Assert.Equal("InvalidOperationException: the host's database is down", parked.LastError);
    }

    [Fact]
    public async Task AnIntegrationGorgiasDeactivated_IsReactivated_AndOneDeletedThere_IsCreatedAgain()
    {
        await InstallAsync("acme");
        var before = Integrations("acme");
        var data = _host.Services.GetRequiredService<SandboxData>().For("acme");
        lock (data.Lock)
        {
            data["integrations"][before[0]["id"]!.GetValue<long>()]["deactivated_datetime"] = "2026-11-30T12:00:00.000000";
            data["integrations"].Remove(before[1]["id"]!.GetValue<long>());
        }

        // The Host's own worker runs the check: its next cycle comes with the check's due time.
        _host.Time.Advance(TimeSpan.FromMinutes(15));
        await _recorder.WaitForReactivationAsync();
        await MaintainAsync();

        var after = Integrations("acme");
        Assert.Equal(2, after.Count);
        Assert.Equal(before[0]["id"]!.GetValue<long>(), after[0]["id"]!.GetValue<long>());
        Assert.Null(after[0]["deactivated_datetime"]);
        Assert.NotEqual(before[1]["id"]!.GetValue<long>(), after[1]["id"]!.GetValue<long>());
        Assert.Equal("Gorgias.Integration events (ticket-message-created)", after[1]["name"]!.GetValue<string>());
        var reactivated = Assert.Single(_recorder.Reactivated);
        Assert.Equal(("ticket-created", before[0]["id"]!.GetValue<long>()), (reactivated.Trigger, reactivated.IntegrationId));
    }

    [Fact]
    public async Task Uninstall_DeletesTheIntegrationsAtGorgias_TheSubscriptionAndTheHandledEvents()
    {
        await InstallAsync("acme");
        using var delivered = await DeliverAsync("acme", """{"event":"ticket-created","ticket_id":"7"}""", SecretOf("acme"));
        await _recorder.WaitForAsync();
        var secret = SecretOf("acme");
        using var admin = _host.CreateAdmin();

        using var uninstalled = await admin.DeleteAsync(new Uri("/installations/acme", UriKind.Relative));
        using var afterwards = await DeliverAsync("acme", """{"event":"ticket-created","ticket_id":"8"}""", secret);

        Assert.Equal(HttpStatusCode.OK, uninstalled.StatusCode);
        Assert.Empty(Integrations("acme"));
        Assert.Empty(await Inbox.ListRecentAsync(AccountName.Parse("acme"), 10, default));
        Assert.Equal(HttpStatusCode.Unauthorized, afterwards.StatusCode);
    }

    [Fact]
    public async Task TheStartPage_ListsTheLastEventsReceived_AndLinksToTheSandboxHelpdesk()
    {
        await InstallAsync("acme");
        using var browser = _host.CreateClient();
        var before = await browser.GetStringAsync(new Uri("/", UriKind.Relative));

        using var created = await browser.PostAsync(new Uri("/sandbox/acme/helpdesk/tickets", UriKind.Relative), null);
        await _recorder.WaitForAsync();
        await DispatchAsync();
        var after = await browser.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.Contains("id=\"no-events\"", before, StringComparison.Ordinal);
        Assert.Contains("href=\"/sandbox/acme/helpdesk\"", before, StringComparison.Ordinal);
        Assert.Contains($"<td>acme</td><td>ticket-created</td><td>{NewestTicketId("acme")}</td>", after, StringComparison.Ordinal);
    }

    public void Dispose() => _host.Dispose();

    private IEventInbox Inbox => _host.Services.GetRequiredService<IEventInbox>();

    private async Task InstallAsync(string account)
    {
        using var browser = _host.CreateNonRedirectingBrowser();
        using var response = await BrowserFlow.InstallAsync(browser, account);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private List<JsonObject> Integrations(string account)
    {
        var data = _host.Services.GetRequiredService<SandboxData>().For(account);
        lock (data.Lock)
        {
            return [.. data["integrations"].Values.Select(i => i.DeepClone().AsObject())];
        }
    }

    private long NewestTicketId(string account)
    {
        var data = _host.Services.GetRequiredService<SandboxData>().For(account);
        lock (data.Lock)
        {
            return data["tickets"].Keys.Max();
        }
    }

    private string SecretOf(string account) => Integrations(account)[0]["http"]!["headers"]![SecretHeader]!.GetValue<string>();

    private async Task<HttpResponseMessage> DeliverAsync(string account, string body, string? secret)
    {
        using var client = _host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/events/{account}", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (secret is not null)
        {
            request.Headers.Add(SecretHeader, secret);
        }

        return await client.SendAsync(request);
    }

    private async Task DispatchAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ISender>().Send(new DispatchEventsCommand());
    }

    private async Task MaintainAsync()
    {
        await using var scope = _host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ISender>().Send(new RunMaintenanceCommand(TimeSpan.FromMinutes(30), 100, 4, TimeSpan.Zero));
    }
}

using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Sandbox;

/// <summary>
/// Calls the account's HTTP integrations the way Gorgias does when a ticket is created or a message added: each active
/// <c>type: http</c> integration whose triggers include the event (<c>ticket-created</c> or <c>ticket_created</c>)
/// gets a POST to its URL with its headers and its <c>form</c> rendered as JSON (<c>{{ticket.id}}</c>,
/// <c>{{message.created_datetime}}</c>, …). A failed call (no 2xx, or no answer) is retried
/// (<see cref="SandboxOptions.EventDeliveryAttempts"/>, <see cref="SandboxOptions.EventRetryDelay"/> apart); after 100
/// failed calls in a row the integration is deactivated (<c>deactivated_datetime</c> set), and a success resets the count.
/// </summary>
internal sealed partial class SandboxHttpIntegrations(
    IHttpClientFactory clients,
    SandboxData data,
    TimeProvider time,
    IOptions<SandboxOptions> options,
    ILogger<SandboxHttpIntegrations> logger)
{
    /// <summary>Failed calls in a row after which Gorgias deactivates an integration.</summary>
    public const int DeactivateAfter = 100;

    /// <summary>The named client deliveries go through.</summary>
    public const string HttpClientName = "GorgiasSandboxIntegrations";

    private readonly ConcurrentDictionary<(string Account, long Id), int> _failuresInARow = new();
    private readonly ConcurrentBag<Task> _inFlight = [];
    private int _delivered;

    /// <summary>Calls that got a 2xx.</summary>
    public int Delivered => Volatile.Read(ref _delivered);

    /// <summary>Starts the calls for <paramref name="trigger"/>; call under the account's lock (the integrations are read there).</summary>
    public void Trigger(string account, SandboxData.AccountData accountData, string trigger, JsonObject ticket, JsonObject? message)
    {
        var context = new JsonObject { ["ticket"] = ticket.DeepClone(), ["message"] = message?.DeepClone() };
        foreach (var integration in accountData["integrations"].Values.Where(i => Matches(i, trigger)))
        {
            var http = integration["http"]!.AsObject();
            var delivery = new Delivery(account, integration["id"]!.GetValue<long>(), http["url"]!.GetValue<string>(),
                http["headers"] as JsonObject is { } headers ? headers.ToDictionary(h => h.Key, h => h.Value?.ToString() ?? "") : [],
                Render(http["form"] as JsonObject, context));
            _inFlight.Add(Task.Run(() => DeliverAsync(delivery)));
        }
    }

    /// <summary>Waits for every call started so far, retries included (for tests and the sandbox page).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_inFlight.ToArray());

    private static bool Matches(JsonObject integration, string trigger) =>
        integration["type"]?.GetValue<string>() == "http"
        && integration["deactivated_datetime"] is null
        && integration["http"]?["triggers"] is JsonObject triggers
        && (IsOn(triggers[trigger]) || IsOn(triggers[trigger.Replace('-', '_')]));

    private static bool IsOn(JsonNode? value) => value is JsonValue v && v.TryGetValue<bool>(out var on) && on;

    private sealed record Delivery(string Account, long IntegrationId, string Url, Dictionary<string, string> Headers, string Body);

    private async Task DeliverAsync(Delivery delivery)
    {
        var attempts = Math.Max(1, options.Value.EventDeliveryAttempts);
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (await CallAsync(delivery))
            {
                _failuresInARow[(delivery.Account, delivery.IntegrationId)] = 0;
                Interlocked.Increment(ref _delivered);
                return;
            }

            if (CountFailure(delivery) || attempt == attempts)
            {
                return;
            }

            await Task.Delay(options.Value.EventRetryDelay, time);
        }
    }

    private async Task<bool> CallAsync(Delivery delivery)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
            {
                Content = new StringContent(delivery.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            foreach (var (name, value) in delivery.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await clients.CreateClient(HttpClientName).SendAsync(request);
            return response.IsSuccessStatusCode;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or InvalidOperationException)
        {
            LogCallFailed(logger, delivery.Account, delivery.IntegrationId, exception.GetType().Name);
            return false;
        }
    }

    /// <summary>Counts a failed call; true when it was the 100th in a row and the integration is now deactivated.</summary>
    private bool CountFailure(Delivery delivery)
    {
        var failures = _failuresInARow.AddOrUpdate((delivery.Account, delivery.IntegrationId), 1, static (_, n) => n + 1);
        if (failures < DeactivateAfter)
        {
            return false;
        }

        var accountData = data.For(delivery.Account);
        lock (accountData.Lock)
        {
            if (accountData["integrations"].TryGetValue(delivery.IntegrationId, out var integration))
            {
                integration["deactivated_datetime"] = SandboxData.Timestamp(time.GetUtcNow().UtcDateTime);
            }
        }

        // Counted afresh once reactivated.
        _failuresInARow[(delivery.Account, delivery.IntegrationId)] = 0;
        LogDeactivated(logger, delivery.Account, delivery.IntegrationId);
        return true;
    }

    /// <summary>Each form value with its <c>{{path}}</c> templates replaced from the ticket and message ("" when absent).</summary>
    private static string Render(JsonObject? form, JsonObject context)
    {
        var body = new JsonObject();
        foreach (var (name, value) in form ?? [])
        {
            body[name] = Template().Replace(value?.ToString() ?? "", match => Lookup(context, match.Groups[1].Value));
        }

        return body.ToJsonString();
    }

    private static string Lookup(JsonObject context, string path)
    {
        JsonNode? node = context;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Template();

    [LoggerMessage(EventId = 9100, Level = LogLevel.Information, Message = "Sandbox: a call of integration {IntegrationId} of account {Account} failed ({Error})")]
    private static partial void LogCallFailed(ILogger logger, string account, long integrationId, string error);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Sandbox: integration {IntegrationId} of account {Account} failed 100 times in a row and is deactivated")]
    private static partial void LogDeactivated(ILogger logger, string account, long integrationId);
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Common.Security;
using Gorgias.Integration.Application.Common.Validation;
using Gorgias.Integration.Application.Events;
using Gorgias.Integration.Application.Telemetry;
using Gorgias.Integration.Domain.Inbox;
using Mediator;
using Microsoft.Extensions.Logging;

namespace Gorgias.Integration.Application.Installations.ReceiveEvent;

/// <summary>
/// Checks a delivery's secret against the account's stored hash (constant time; SECURITY.md row 52), reads the event
/// name, ids and timestamp from the body, and stores it in the inbox, once per delivery key. Nothing is stored before
/// the secret matched, so a forged delivery costs one indexed read.
/// </summary>
internal sealed partial class ReceiveEventHandler(
    IEventSubscriptionStore subscriptions,
    IEventInbox inbox,
    EventArrivals arrivals,
    TimeProvider time,
    GorgiasMetrics metrics,
    ILogger<ReceiveEventHandler> logger) : ICommandHandler<ReceiveEventCommand, Result<ReceiveEventResult>>
{
    private static readonly Error Unauthorized = new(ErrorKind.Unauthorized, "event_secret_invalid",
        "The delivery did not carry this account's event secret.");

    public async ValueTask<Result<ReceiveEventResult>> Handle(ReceiveEventCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!AccountRules.TryParse(command.Account, out var account, out var invalid))
        {
            return invalid;
        }

        // An unknown account and a wrong secret answer alike, so a caller cannot learn which accounts subscribe.
        var hash = await subscriptions.FindSecretHashAsync(account, cancellationToken);
        if (hash is null || !ConstantTime.MatchesSha256(command.Secret, hash))
        {
            LogRefused(logger, account.Value);
            metrics.EventReceived("refused");
            return Unauthorized;
        }

        if (Read(command.Body.Span) is not { } delivery)
        {
            metrics.EventReceived("invalid");
            return new Error(ErrorKind.Validation, "event_body_invalid",
                "The body must be a JSON object with an 'event' naming the trigger (lower-case letters, digits, '-' or '_').")
            { Fields = ["body"] };
        }

        var key = delivery.Key ?? Convert.ToHexStringLower(SHA256.HashData(command.Body.Span));
        var received = InboxEvent.Receive(account, delivery.Event, key, delivery.TicketId, delivery.MessageId, delivery.OccurredAt,
            Encoding.UTF8.GetString(command.Body.Span), time.GetUtcNow());
        var added = await inbox.AddAsync(received, cancellationToken);
        if (added)
        {
            arrivals.Signal();
        }

        metrics.EventReceived(added ? "stored" : "duplicate");

        return new ReceiveEventResult(account, delivery.Event, key, Duplicate: !added);
    }

    private sealed record Delivery(string Event, string? Key, long? TicketId, long? MessageId, DateTimeOffset? OccurredAt);

    private static Delivery? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("event", out var name)
                || name.ValueKind != JsonValueKind.String || name.GetString() is not { } eventName || !InboxEvent.IsEventName(eventName))
            {
                return null;
            }

            var key = root.TryGetProperty("delivery_key", out var k) && k.ValueKind == JsonValueKind.String && k.GetString() is { Length: > 0 and <= InboxEvent.MaxDeliveryKeyLength } given
                ? given
                : null;
            return new Delivery(eventName, key, Id(root, "ticket_id"), Id(root, "message_id"), Instant(root, "occurred_at"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Gorgias renders every template as text, so "123" is as good as 123; anything else is no id.
    private static long? Id(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number
        : value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
        : null;

    // Gorgias's timestamps carry no offset and are UTC.
    private static DateTimeOffset? Instant(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
        && DateTime.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var instant)
            ? new DateTimeOffset(instant, TimeSpan.Zero)
            : null;

    [LoggerMessage(EventId = 1700, Level = LogLevel.Warning, Message = "An event delivery for account {Account} came without the account's secret; refused, nothing stored")]
    private static partial void LogRefused(ILogger logger, string account);
}

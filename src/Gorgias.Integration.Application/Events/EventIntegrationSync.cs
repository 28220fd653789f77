using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Notifications;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Inbox;
using Gorgias.Integration.Domain.Installations;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Events;

/// <summary>
/// Puts an account's event integrations in place at Gorgias and takes them away; shared by the subscribe use case
/// (install and the worker's check) and the uninstall. One integration per configured trigger, each found by its
/// stored id, then by its name, and created only when neither finds it, so a re-install never adds a second one.
/// A failure is recorded on the subscription (visible on the installation, retried by the worker) and never thrown.
/// </summary>
internal sealed partial class EventIntegrationSync(
    IEventSubscriptionStore subscriptions,
    IEventInbox inbox,
    IGorgiasEventIntegrations integrations,
    IOptions<GorgiasOptions> gorgias,
    IOptions<GorgiasEventOptions> options,
    IPublisher publisher,
    TimeProvider time,
    ILogger<EventIntegrationSync> logger)
{
    /// <summary>
    /// Creates or updates the account's integrations. With <paramref name="checkOnly"/> an integration found active is
    /// left as it is; a deactivated one is reactivated (and the host told), a deleted one created again.
    /// </summary>
    public async Task<EventSubscription?> EnsureAsync(AccountName account, bool checkOnly, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return null;
        }

        var subscription = await subscriptions.FindAsync(account, cancellationToken) ?? EventSubscription.Start(account, time.GetUtcNow());
        var ids = new Dictionary<string, long>(subscription.IntegrationIds, StringComparer.Ordinal);
        var reactivated = new List<(string Trigger, long Id)>();
        try
        {
            foreach (var trigger in settings.TriggerList)
            {
                var spec = SpecFor(account, trigger, subscription.Secret);
                var found = ids.TryGetValue(trigger, out var storedId) ? await integrations.FindAsync(account, storedId, cancellationToken) : null;
                found ??= await integrations.FindByNameAsync(account, spec.Name, cancellationToken);
                if (found is null)
                {
                    ids[trigger] = await integrations.CreateAsync(account, spec, cancellationToken);
                    continue;
                }

                ids[trigger] = found.Id;
                if (!checkOnly || found.Deactivated)
                {
                    await integrations.UpdateAsync(account, found.Id, spec, cancellationToken);
                }

                if (found.Deactivated)
                {
                    reactivated.Add((trigger, found.Id));
                }
            }

            // Triggers no longer configured: their integrations would keep calling for events nobody asked for.
            foreach (var (trigger, id) in ids.Where(p => !settings.TriggerList.Contains(p.Key)).ToList())
            {
                await integrations.DeleteAsync(account, id, cancellationToken);
                ids.Remove(trigger);
            }

            subscription = subscription.Succeeded(ids, time.GetUtcNow(), settings.CheckInterval);
            await subscriptions.SaveAsync(subscription, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            subscription = subscription.Failed(ids, InboxEvent.ErrorText(exception), time.GetUtcNow(), TimeSpan.FromMinutes(1), settings.CheckInterval);
            await subscriptions.SaveAsync(subscription, CancellationToken.None);
            LogFailed(logger, account.Value, subscription.NextCheckAt, exception);
            return subscription;
        }

        foreach (var (trigger, id) in reactivated)
        {
            LogReactivated(logger, account.Value, trigger, id);
            await PublishBestEffortAsync(new EventIntegrationReactivatedNotification(account, trigger, id, time.GetUtcNow()), cancellationToken);
        }

        return subscription;
    }

    /// <summary>
    /// On uninstall, while the token still works: deletes the account's integrations at Gorgias (best effort: a failure
    /// is logged and the uninstall goes on), its subscription (and secret), and its handled inbox events.
    /// </summary>
    public async Task RemoveAsync(AccountName account, CancellationToken cancellationToken)
    {
        var subscription = await subscriptions.FindAsync(account, cancellationToken);
        if (subscription is not null)
        {
            foreach (var (trigger, id) in subscription.IntegrationIds)
            {
                try
                {
                    await integrations.DeleteAsync(account, id, cancellationToken);
                }
                catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                {
                    LogDeleteFailed(logger, account.Value, trigger, id, exception);
                }
            }

            await subscriptions.DeleteAsync(account, cancellationToken);
        }

        // Pending events stay: they arrived while the app was installed, and the dispatcher still hands them over.
        await inbox.PurgeHandledAsync(account, DateTimeOffset.MaxValue, cancellationToken);
    }

    private HttpIntegrationSpec SpecFor(AccountName account, string trigger, string secret)
    {
        var settings = options.Value;
        var form = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["event"] = trigger,
            ["ticket_id"] = "{{ticket.id}}",
            ["ticket_created_datetime"] = "{{ticket.created_datetime}}",
            ["ticket_updated_datetime"] = "{{ticket.updated_datetime}}",
            ["occurred_at"] = trigger switch
            {
                "ticket-created" => "{{ticket.created_datetime}}",
                "ticket-message-created" => "{{message.created_datetime}}",
                _ => "{{ticket.updated_datetime}}",
            },
        };
        if (trigger == "ticket-message-created")
        {
            form["message_id"] = "{{message.id}}";
        }

        return new HttpIntegrationSpec(settings.IntegrationNameFor(trigger), settings.ReceiverUriFor(account, gorgias.Value.RedirectUri),
            new Dictionary<string, string>(StringComparer.Ordinal) { [settings.SecretHeader] = secret }, form, trigger);
    }

    private async Task PublishBestEffortAsync(INotification notification, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.Publish(notification, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogHandlerFailed(logger, notification.GetType().Name, exception);
        }
    }

    [LoggerMessage(EventId = 1720, Level = LogLevel.Warning, Message = "The event integrations of account {Account} could not be put in place; retried at {NextCheckAt:O}")]
    private static partial void LogFailed(ILogger logger, string account, DateTimeOffset nextCheckAt, Exception exception);

    [LoggerMessage(EventId = 1721, Level = LogLevel.Warning, Message = "Gorgias had deactivated the {Trigger} integration {Id} of account {Account}; reactivated")]
    private static partial void LogReactivated(ILogger logger, string account, string trigger, long id);

    [LoggerMessage(EventId = 1722, Level = LogLevel.Warning, Message = "Deleting the {Trigger} integration {Id} of account {Account} failed; delete it in Gorgias")]
    private static partial void LogDeleteFailed(ILogger logger, string account, string trigger, long id, Exception exception);

    [LoggerMessage(EventId = 1723, Level = LogLevel.Error, Message = "A handler of {Notification} failed")]
    private static partial void LogHandlerFailed(ILogger logger, string notification, Exception exception);
}

using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Events;
using Gorgias.Integration.Domain.Inbox;
using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Installations.SubscribeEvents;

/// <summary>Creates, updates or checks the account's event integrations, only while the app holds its tokens.</summary>
internal sealed class SubscribeEventsHandler(IInstallationRepository installations, EventIntegrationSync sync)
    : ICommandHandler<SubscribeEventsCommand, EventSubscription?>
{
    public async ValueTask<EventSubscription?> Handle(SubscribeEventsCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var account = AccountName.Parse(command.Account);
        var installation = await installations.FindAsync(account, cancellationToken);
        return installation is { HoldsTokens: true } ? await sync.EnsureAsync(account, command.CheckOnly, cancellationToken) : null;
    }
}

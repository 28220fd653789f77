using Gorgias.Integration.Domain.Inbox;
using Mediator;

namespace Gorgias.Integration.Application.Installations.SubscribeEvents;

/// <summary>
/// Puts the account's event integrations in place at Gorgias (<c>Gorgias:Events:Triggers</c>); sent after each install
/// and, with <paramref name="CheckOnly"/>, by the worker for every subscription due a check or a retry. Returns the
/// subscription as stored (its status says whether it worked), or null when events are off or the account holds no tokens.
/// </summary>
/// <param name="Account">The account.</param>
/// <param name="CheckOnly">Leave active integrations alone; reactivate deactivated ones, create deleted ones.</param>
public sealed record SubscribeEventsCommand(string Account, bool CheckOnly) : ICommand<EventSubscription?>;

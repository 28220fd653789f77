using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Installations.ReceiveEvent;

/// <summary>
/// One delivery from an account's HTTP integration: stored in the inbox when <paramref name="Secret"/> is the account's,
/// before the caller answers Gorgias. The body must already be bounded by the caller (<c>Gorgias:Events:MaxBodyBytes</c>).
/// </summary>
/// <param name="Account">The account from the route.</param>
/// <param name="Secret">The secret header's value, if any.</param>
/// <param name="Body">The delivery's body (UTF-8 JSON).</param>
public sealed record ReceiveEventCommand(string? Account, string? Secret, ReadOnlyMemory<byte> Body) : ICommand<Result<ReceiveEventResult>>
{
    /// <summary>Never prints the secret or the body.</summary>
    public override string ToString() => $"ReceiveEventCommand {{ Account = {Account}, Body = {Body.Length} bytes }}";
}

/// <summary>The stored delivery.</summary>
/// <param name="Account">The account.</param>
/// <param name="EventName">The trigger the delivery names.</param>
/// <param name="DeliveryKey">What identifies it across retries and replays.</param>
/// <param name="Duplicate">True when the inbox already had it (a retry or a replay): nothing new was stored.</param>
public sealed record ReceiveEventResult(AccountName Account, string EventName, string DeliveryKey, bool Duplicate);

using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Mediator;

namespace Gorgias.Integration.Application.Installations.GetGorgiasTicket;

/// <summary>One ticket of an installed account from Gorgias, with its access token.</summary>
/// <param name="Account">The account: raw input, parsed once here (an invalid one is a validation error naming <c>Account</c>).</param>
/// <param name="Id">Gorgias's ticket id.</param>
public sealed record GetGorgiasTicketQuery(string? Account, long Id) : IQuery<Result<GorgiasTicketSummary>>;

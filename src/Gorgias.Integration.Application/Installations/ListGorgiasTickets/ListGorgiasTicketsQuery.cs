using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Mediator;

namespace Gorgias.Integration.Application.Installations.ListGorgiasTickets;

/// <summary>One page of an installed account's tickets from Gorgias, with its access token.</summary>
/// <param name="Account">The account: raw input, parsed once here (an invalid one is a validation error naming <c>Account</c>).</param>
/// <param name="Limit">Tickets per page, 1–100; null means Gorgias's default of 30.</param>
/// <param name="Cursor">A previous page's next cursor; null for the first page.</param>
/// <param name="OrderBy">E.g. <c>created_datetime:desc</c>; null for Gorgias's default.</param>
public sealed record ListGorgiasTicketsQuery(string? Account, int? Limit, string? Cursor, string? OrderBy) : IQuery<Result<GorgiasTicketPage>>
{
    /// <summary>Gorgias's page size when none is asked for.</summary>
    public const int DefaultLimit = 30;
}

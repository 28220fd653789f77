using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Installations.ListGorgiasTickets;

/// <summary>Asks Gorgias for one page of tickets; not installed, missing scope or Gorgias down come back as errors.</summary>
internal sealed class ListGorgiasTicketsHandler(IGorgiasApiClient gorgias) : IQueryHandler<ListGorgiasTicketsQuery, Result<GorgiasTicketPage>>
{
    public async ValueTask<Result<GorgiasTicketPage>> Handle(ListGorgiasTicketsQuery query, CancellationToken cancellationToken) =>
        await gorgias.ListTicketsAsync(AccountName.Parse(query.Account), query.Limit ?? ListGorgiasTicketsQuery.DefaultLimit,
            string.IsNullOrEmpty(query.Cursor) ? null : query.Cursor,
            string.IsNullOrEmpty(query.OrderBy) ? null : query.OrderBy, cancellationToken);
}

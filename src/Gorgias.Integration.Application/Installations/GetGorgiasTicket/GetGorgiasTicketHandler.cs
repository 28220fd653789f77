using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Installations.GetGorgiasTicket;

/// <summary>Asks Gorgias for one ticket; a ticket Gorgias does not have is NotFound.</summary>
internal sealed class GetGorgiasTicketHandler(IGorgiasApiClient gorgias) : IQueryHandler<GetGorgiasTicketQuery, Result<GorgiasTicketSummary>>
{
    public async ValueTask<Result<GorgiasTicketSummary>> Handle(GetGorgiasTicketQuery query, CancellationToken cancellationToken) =>
        await gorgias.GetTicketAsync(AccountName.Parse(query.Account), query.Id, cancellationToken);
}

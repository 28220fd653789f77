using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;
using Mediator;

namespace Gorgias.Integration.Application.Installations.GetGorgiasAccount;

/// <summary>Asks Gorgias for the account; not installed, re-authorization needed or Gorgias down come back as errors.</summary>
internal sealed class GetGorgiasAccountHandler(IGorgiasApiClient gorgias) : IQueryHandler<GetGorgiasAccountQuery, Result<GorgiasAccount>>
{
    public async ValueTask<Result<GorgiasAccount>> Handle(GetGorgiasAccountQuery query, CancellationToken cancellationToken) =>
        await gorgias.GetAccountAsync(AccountName.Parse(query.Account), cancellationToken);
}

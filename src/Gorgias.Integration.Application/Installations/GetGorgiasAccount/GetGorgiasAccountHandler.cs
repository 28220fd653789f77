using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Common.Validation;
using Mediator;

namespace Gorgias.Integration.Application.Installations.GetGorgiasAccount;

/// <summary>Asks Gorgias for the account; not installed, re-authorization needed or Gorgias down come back as errors.</summary>
internal sealed class GetGorgiasAccountHandler(IGorgiasApiClient gorgias) : IQueryHandler<GetGorgiasAccountQuery, Result<GorgiasAccount>>
{
    public async ValueTask<Result<GorgiasAccount>> Handle(GetGorgiasAccountQuery query, CancellationToken cancellationToken) =>
        AccountRules.TryParse(query.Account, out var account, out var invalid)
            ? await gorgias.GetAccountAsync(account, cancellationToken)
            : invalid;
}

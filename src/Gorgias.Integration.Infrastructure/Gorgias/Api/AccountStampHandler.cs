using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// The outermost handler of one account's client: names the account on each request, so that the pooled
/// <c>GorgiasApi</c> handlers (shared by every account) know whose token and whose request budget to use.
/// </summary>
internal sealed class AccountStampHandler(AccountName account) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(GorgiasApiRequest.AccountKey, account);
        return base.SendAsync(request, cancellationToken);
    }
}

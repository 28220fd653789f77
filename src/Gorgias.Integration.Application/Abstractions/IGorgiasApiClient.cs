using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Application.Abstractions;

/// <summary>Gorgias's REST API for one account, called with the installation's access token.</summary>
public interface IGorgiasApiClient
{
    /// <summary><c>GET /api/account</c>.</summary>
    Task<Result<GorgiasAccount>> GetAccountAsync(AccountName account, CancellationToken cancellationToken);
}

/// <summary>What <c>GET /api/account</c> returns (the fields this integration uses).</summary>
/// <param name="Domain">The account's subdomain.</param>
/// <param name="Status">The account status, e.g. <c>active</c>.</param>
/// <param name="CreatedDatetime">When the account was created.</param>
/// <param name="DeactivatedDatetime">When it was deactivated, if it was.</param>
public sealed record GorgiasAccount(string Domain, string? Status, DateTimeOffset? CreatedDatetime, DateTimeOffset? DeactivatedDatetime);

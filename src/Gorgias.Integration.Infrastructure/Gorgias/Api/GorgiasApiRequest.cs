using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>What the handlers of the <c>GorgiasApi</c> pipeline read from a request.</summary>
internal static class GorgiasApiRequest
{
    /// <summary>The account a request is for, stamped by <see cref="AccountStampHandler"/>.</summary>
    public static readonly HttpRequestOptionsKey<AccountName> AccountKey = new("Gorgias.Integration.Account");

    /// <summary>
    /// The account stamped on <paramref name="request"/>. The pooled handlers serve every account, so a request without
    /// one did not come through <see cref="IGorgiasApiFactory"/> and must not be sent with anyone's token.
    /// </summary>
    public static AccountName AccountOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(AccountKey, out var account)
            ? account
            : throw new InvalidOperationException("A Gorgias API request must be sent through IGorgiasApiFactory, which names its account.");
}

using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>Hands out <see cref="IGorgiasApi"/> clients, one per account (registered as a singleton).</summary>
public interface IGorgiasApiFactory
{
    /// <summary>
    /// A client for <paramref name="account"/>'s Gorgias (<c>Gorgias:BaseUrlTemplate</c>). Cheap to create: the
    /// connections behind it are pooled by <see cref="IHttpClientFactory"/>.
    /// </summary>
    IGorgiasApi For(AccountName account);
}

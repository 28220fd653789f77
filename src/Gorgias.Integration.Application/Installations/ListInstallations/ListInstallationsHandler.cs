using Gorgias.Integration.Application.Abstractions;
using Mediator;

namespace Gorgias.Integration.Application.Installations.ListInstallations;

/// <summary>Lists installations with their access token's expiry and refresh failure record, without decrypting a token.</summary>
internal sealed class ListInstallationsHandler(IInstallationRepository installations, ITokenSetRepository tokens)
    : IQueryHandler<ListInstallationsQuery, IReadOnlyList<InstallationView>>
{
    public async ValueTask<IReadOnlyList<InstallationView>> Handle(ListInstallationsQuery query, CancellationToken cancellationToken)
    {
        if (query.Limit is null && query.After is null)
        {
            var all = await installations.ListAsync(cancellationToken);
            var everyHealth = await tokens.ListRefreshHealthAsync(cancellationToken);
            return all.Select(i => InstallationView.From(i, everyHealth.GetValueOrDefault(i.Account))).ToArray();
        }

        // A page reads only its own accounts' token rows, so its cost stays the same on page 1 and page 1,000.
        var page = await installations.ListAsync(query.After, query.Limit ?? int.MaxValue, cancellationToken);
        var health = page.Count == 0
            ? new Dictionary<Domain.Installations.AccountName, RefreshHealth>()
            : await tokens.ListRefreshHealthAsync([.. page.Select(i => i.Account)], cancellationToken);
        return page.Select(i => InstallationView.From(i, health.GetValueOrDefault(i.Account))).ToArray();
    }
}

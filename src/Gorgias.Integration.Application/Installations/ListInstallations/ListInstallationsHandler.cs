using Gorgias.Integration.Application.Abstractions;
using Mediator;

namespace Gorgias.Integration.Application.Installations.ListInstallations;

/// <summary>Lists installations with their access token's expiry and refresh failure record, without decrypting a token.</summary>
internal sealed class ListInstallationsHandler(IInstallationRepository installations, ITokenSetRepository tokens)
    : IQueryHandler<ListInstallationsQuery, IReadOnlyList<InstallationView>>
{
    public async ValueTask<IReadOnlyList<InstallationView>> Handle(ListInstallationsQuery query, CancellationToken cancellationToken)
    {
        var all = await installations.ListAsync(cancellationToken);
        var health = await tokens.ListRefreshHealthAsync(cancellationToken);
        return all.Select(i => InstallationView.From(i, health.GetValueOrDefault(i.Account))).ToArray();
    }
}

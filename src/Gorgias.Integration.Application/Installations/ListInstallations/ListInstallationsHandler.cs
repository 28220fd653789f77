using Gorgias.Integration.Application.Abstractions;
using Mediator;

namespace Gorgias.Integration.Application.Installations.ListInstallations;

/// <summary>Lists installations without touching tokens.</summary>
internal sealed class ListInstallationsHandler(IInstallationRepository installations)
    : IQueryHandler<ListInstallationsQuery, IReadOnlyList<InstallationView>>
{
    public async ValueTask<IReadOnlyList<InstallationView>> Handle(ListInstallationsQuery query, CancellationToken cancellationToken)
    {
        var all = await installations.ListAsync(cancellationToken);
        return all.Select(i => InstallationView.From(i, accessTokenExpiresAt: null)).ToArray();
    }
}

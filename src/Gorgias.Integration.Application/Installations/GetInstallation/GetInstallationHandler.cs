using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Common.Validation;
using Mediator;

namespace Gorgias.Integration.Application.Installations.GetInstallation;

/// <summary>
/// Reads one installation, its access token's expiry, its refresh failure record and its event subscription's state,
/// without decrypting a token.
/// </summary>
internal sealed class GetInstallationHandler(IInstallationRepository installations, ITokenSetRepository tokens, IEventSubscriptionStore events)
    : IQueryHandler<GetInstallationQuery, Result<InstallationView>>
{
    public async ValueTask<Result<InstallationView>> Handle(GetInstallationQuery query, CancellationToken cancellationToken)
    {
        if (!AccountRules.TryParse(query.Account, out var account, out var invalid))
        {
            return invalid;
        }

        var installation = await installations.FindAsync(account, cancellationToken);
        if (installation is null)
        {
            return Errors.NotFound(account);
        }

        var subscription = await events.FindAsync(account, cancellationToken);
        return InstallationView.From(installation, await tokens.FindRefreshHealthAsync(account, cancellationToken)) with
        {
            Events = subscription?.Status,
            EventsError = subscription?.LastError,
            EventsNextCheckAt = subscription?.NextCheckAt,
        };
    }
}

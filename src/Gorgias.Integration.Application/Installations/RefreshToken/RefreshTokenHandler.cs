using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Common.Validation;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Application.Tokens;
using Mediator;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Installations.RefreshToken;

/// <summary>
/// Renews an account's access token through the same refresher as <see cref="IGorgiasAccessTokenProvider"/>, so it
/// joins a refresh already in flight and follows the same rules (rows 24, 25, 34, 35). Every expected outcome is a
/// result: not installed, re-authorization required, Gorgias unavailable (with the retry delay) or in error.
/// </summary>
internal sealed class RefreshTokenHandler(AccessTokenRefresher refresher, IOptions<GorgiasOptions> options)
    : ICommandHandler<RefreshTokenCommand, Result<RefreshTokenResult>>
{
    /// <inheritdoc />
    public async ValueTask<Result<RefreshTokenResult>> Handle(RefreshTokenCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!AccountRules.TryParse(command.Account, out var account, out var invalid))
        {
            return invalid;
        }

        var margin = options.Value.RefreshBeforeExpiry;
        var need = command.IfExpiringWithin is { } window
            ? TokenNeed.ValidFor(window > margin ? window : margin)
            : TokenNeed.Renew(margin);

        var outcome = await refresher.AcquireAsync(account, need, cancellationToken);

        // Unlike the provider, a failed refresh is reported even while the current token still works.
        return outcome.Error is { } error
            ? error
            : new RefreshTokenResult(account, outcome.Tokens!.ExpiresAt);
    }
}

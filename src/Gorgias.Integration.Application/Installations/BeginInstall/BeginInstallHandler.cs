using System.Text;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Common.Security;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;
using Mediator;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Installations.BeginInstall;

/// <summary>
/// Creates a pending authorization (state, nonce, PKCE verifier, bound to the browser) and builds Gorgias's
/// authorize URL. The host of that URL comes from <see cref="AccountName"/> only.
/// </summary>
internal sealed class BeginInstallHandler(
    IAuthorizationRequestStore requests,
    IOptions<GorgiasOptions> options,
    TimeProvider time) : ICommandHandler<BeginInstallCommand, Result<BeginInstallResult>>
{
    /// <inheritdoc />
    public async ValueTask<Result<BeginInstallResult>> Handle(BeginInstallCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var settings = options.Value;
        var account = AccountName.Parse(command.Account);
        var now = time.GetUtcNow();

        if (await requests.CountPendingAsync(now, cancellationToken) >= settings.MaxPendingAuthorizations
            && (await requests.PurgeExpiredAsync(now, cancellationToken) == 0
                || await requests.CountPendingAsync(now, cancellationToken) >= settings.MaxPendingAuthorizations))
        {
            return new Error(ErrorKind.TooManyPendingAuthorizations, "too_many_pending_installs",
                "Too many installs are in progress; try again in a few minutes.", settings.AuthorizationLifetime);
        }

        var verifier = settings.UsePkce ? OAuthSecrets.NewRandomValue() : null;
        var request = AuthorizationRequest.Create(
            account,
            state: OAuthSecrets.NewRandomValue(),
            nonce: OAuthSecrets.NewRandomValue(),
            codeVerifier: verifier,
            redirectUri: settings.RedirectUriFor(account),
            browserBinding: OAuthSecrets.HashBrowserId(command.BrowserId),
            now,
            settings.AuthorizationLifetime);
        await requests.AddAsync(request, cancellationToken);

        return new BeginInstallResult(account.Value, BuildAuthorizeUri(settings, request), request.ExpiresAt);
    }

    private static Uri BuildAuthorizeUri(GorgiasOptions settings, AuthorizationRequest request)
    {
        var query = new StringBuilder(512)
            .Append("response_type=code")
            .Append("&client_id=").Append(Uri.EscapeDataString(settings.ClientId))
            .Append("&scope=").Append(Uri.EscapeDataString(string.Join(' ', settings.ScopeList)))
            .Append("&redirect_uri=").Append(Uri.EscapeDataString(request.RedirectUri))
            .Append("&state=").Append(Uri.EscapeDataString(request.State))
            .Append("&nonce=").Append(Uri.EscapeDataString(request.Nonce));
        if (request.CodeVerifier is not null)
        {
            query.Append("&code_challenge=").Append(OAuthSecrets.CodeChallenge(request.CodeVerifier))
                 .Append("&code_challenge_method=S256");
        }

        return new UriBuilder(settings.BaseUriFor(request.Account))
        {
            Path = settings.BaseUriFor(request.Account).AbsolutePath.TrimEnd('/') + "/oauth/authorize",
            Query = query.ToString(),
        }.Uri;
    }
}

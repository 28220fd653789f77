using System.Diagnostics;
using System.Text;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Common.Security;
using Gorgias.Integration.Application.Common.Validation;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Application.Telemetry;
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
        using var activity = GorgiasActivity.Start(GorgiasTelemetry.Spans.InstallBegin);
        try
        {
            return activity.Finish(await BeginAsync(command, activity, cancellationToken));
        }
        catch (Exception ex) when (activity.Fail(ex))
        {
            throw;
        }
    }

    private async ValueTask<Result<BeginInstallResult>> BeginAsync(BeginInstallCommand command, Activity? activity, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!AccountRules.TryParse(command.Account, out var account, out var invalid))
        {
            return invalid;
        }

        activity.SetAccount(account);

        var now = time.GetUtcNow();

        if (await IsAtCapacityAsync(settings.MaxPendingAuthorizations, now, cancellationToken))
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

        return new BeginInstallResult(account, BuildAuthorizeUri(settings, request), request.ExpiresAt);
    }

    /// <summary>
    /// True when <paramref name="max"/> unexpired installs are pending. The stored count (expired rows included) bounds
    /// the pending one from above and costs no range scan, so below the cap, as nearly always, nothing else is read; the
    /// exact count grew with every pending install (~90 µs at 5,000, docs/PERFORMANCE.md). At the cap, expired rows are
    /// purged first so that they stop counting.
    /// </summary>
    private async Task<bool> IsAtCapacityAsync(int max, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await requests.CountStoredAsync(cancellationToken) < max)
        {
            return false;
        }

        await requests.PurgeExpiredAsync(now, cancellationToken);
        return await requests.CountPendingAsync(now, cancellationToken) >= max;
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

using System.Diagnostics;
using System.Runtime.CompilerServices;
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
        if (!await TryAddAsync(request, settings.MaxPendingAuthorizations, now, cancellationToken))
        {
            return new Error(ErrorKind.TooManyPendingAuthorizations, "too_many_pending_installs",
                "Too many installs are in progress; try again in a few minutes.", settings.AuthorizationLifetime);
        }

        return new BeginInstallResult(account, BuildAuthorizeUri(settings, request), request.ExpiresAt);
    }

    /// <summary>
    /// Stores <paramref name="request"/> unless <paramref name="max"/> unexpired installs are pending. The stored count
    /// (expired rows included) bounds the pending one from above and costs no range scan, so below the cap, as nearly
    /// always, the store checks it and inserts in one statement; the exact count grew with every pending install (~90 µs
    /// at 5,000, docs/PERFORMANCE.md). At the cap, expired rows are purged first so that they stop counting.
    /// </summary>
    private async Task<bool> TryAddAsync(AuthorizationRequest request, int max, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await requests.TryAddBelowAsync(request, max, cancellationToken))
        {
            return true;
        }

        await requests.PurgeExpiredAsync(now, cancellationToken);
        if (await requests.CountPendingAsync(now, cancellationToken) >= max)
        {
            return false;
        }

        await requests.AddAsync(request, cancellationToken);
        return true;
    }

    // The part of the authorize query that depends on configuration only, escaped once per options instance.
    private static readonly ConditionalWeakTable<GorgiasOptions, string> FixedQueries = [];

    /// <summary>
    /// Gorgias's authorize URL: the account's base URL with <c>/oauth/authorize</c> appended to its path, and the query.
    /// Built as one string and parsed once (each <see cref="Uri"/> or <see cref="UriBuilder"/> step copied the ~700
    /// characters again); state, nonce and challenge are base64url, so escaping leaves them as they are.
    /// </summary>
    private static Uri BuildAuthorizeUri(GorgiasOptions settings, AuthorizationRequest request)
    {
        var fixedQuery = FixedQueries.GetValue(settings, static o =>
            $"response_type=code&client_id={Uri.EscapeDataString(o.ClientId)}&scope={Uri.EscapeDataString(string.Join(' ', o.ScopeList))}");
        var baseUri = settings.BaseUriFor(request.Account);
        var authority = baseUri.GetLeftPart(UriPartial.Authority);
        var path = baseUri.AbsolutePath.AsSpan().TrimEnd('/');
        var redirectUri = Uri.EscapeDataString(request.RedirectUri);
        var state = Uri.EscapeDataString(request.State);
        var nonce = Uri.EscapeDataString(request.Nonce);

        // One interpolation per shape (the compiler joins '+'-ed interpolations into one), so the long string is written
        // once into a pooled buffer; the challenge is no separate string spliced in.
        return new Uri(request.CodeVerifier is { } verifier
            ? $"{authority}{path}/oauth/authorize?{fixedQuery}&redirect_uri={redirectUri}&state={state}&nonce={nonce}" +
              $"&code_challenge={OAuthSecrets.CodeChallenge(verifier)}&code_challenge_method=S256"
            : $"{authority}{path}/oauth/authorize?{fixedQuery}&redirect_uri={redirectUri}&state={state}&nonce={nonce}");
    }
}

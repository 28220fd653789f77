using System.Diagnostics;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Common.Security;
using Gorgias.Integration.Application.Common.Validation;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Application.Telemetry;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Installations.CompleteAuthorization;

/// <summary>
/// Opens the flow's state, checks its account, browser and expiry, records it as used, exchanges the code once, checks what came back, and stores the installation with its
/// tokens in one transaction. Every failure leaves nothing partial behind.
/// </summary>
internal sealed partial class CompleteAuthorizationHandler(
    IAuthorizationStateProtector states,
    IAuthorizationRequestStore requests,
    IGorgiasAuthorizationServer authorizationServer,
    IIdTokenReader idTokens,
    IInstallationRepository installations,
    IInstallRecorder installs,
    IOptions<GorgiasOptions> options,
    TimeProvider time,
    DomainEventPublisher publisher,
    GorgiasMetrics metrics,
    ILogger<CompleteAuthorizationHandler> logger) : ICommandHandler<CompleteAuthorizationCommand, Result<CompleteAuthorizationResult>>
{
    private static readonly Error InvalidState = new(ErrorKind.InvalidState, "state_invalid",
        "This install link has expired, was already used, or was opened in another browser than the one that started the install. "
        + "Start the install again from Gorgias, in this browser.");

    /// <inheritdoc />
    public async ValueTask<Result<CompleteAuthorizationResult>> Handle(CompleteAuthorizationCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var activity = GorgiasActivity.Start(GorgiasTelemetry.Spans.InstallComplete);
        try
        {
            var result = activity.Finish(await CompleteAsync(command, activity, cancellationToken));
            if (result.Error is { } error)
            {
                metrics.InstallFailed(error.Code);
            }
            else
            {
                metrics.InstallCompleted(result.Value!.IsReinstall);
            }

            return result;
        }
        catch (Exception ex) when (activity.Fail(ex))
        {
            throw;
        }
    }

    private async ValueTask<Result<CompleteAuthorizationResult>> CompleteAsync(CompleteAuthorizationCommand command, Activity? activity, CancellationToken cancellationToken)
    {
        if (!AccountRules.TryParse(command.Account, out var account, out var invalid))
        {
            return invalid;
        }

        activity.SetAccount(account);

        // Without the cookie nothing is consumed: the state stays usable by the browser that started the install.
        if (command.BrowserId is null)
        {
            LogCookieMissing(logger, account.Value);
            return CookieMissing();
        }

        // The account, browser and expiry checks come before the request is recorded as used, so a request that fails
        // them takes nothing (SECURITY.md row 39), and a state is single-use whatever happens next (rows 6, 7, 13).
        if (await ConsumeAsync(command.State!, account, command.BrowserId, cancellationToken) is not { } request)
        {
            return InvalidState;
        }

        if (!string.IsNullOrEmpty(command.Error))
        {
            return command.Error == "access_denied"
                ? new Error(ErrorKind.Declined, "access_denied", "The app was not installed: access was declined in Gorgias.")
                : new Error(ErrorKind.AuthorizationFailed, "authorization_error",
                    "Gorgias could not authorize the app. Start the install again.");
        }

        var exchange = await authorizationServer.ExchangeCodeAsync(
            new CodeExchange(request.Account, command.Code!, request.RedirectUri, request.CodeVerifier), cancellationToken);
        if (!exchange.IsSuccess)
        {
            return ExchangeFailed(exchange, account);
        }

        var now = time.GetUtcNow();
        var grant = exchange.Grant!;
        if (string.IsNullOrEmpty(grant.RefreshToken))
        {
            LogNoRefreshToken(logger, account.Value);
            return new Error(ErrorKind.AuthorizationFailed, "no_refresh_token",
                "Gorgias granted no refresh token, so the app would lose access within a day. The app must request the 'offline' scope.");
        }

        if (IdTokenCheck.Problem(exchange.IdToken, idTokens, options.Value, request, now) is { } idTokenProblem)
        {
            LogIdTokenRejected(logger, account.Value, idTokenProblem);
            await RevokeBestEffortAsync(account, grant.RefreshToken, cancellationToken);
            return new Error(ErrorKind.AuthorizationFailed, "id_token_invalid", "Gorgias's answer could not be verified. Start the install again.");
        }

        return await StoreAsync(account, grant, now, cancellationToken);
    }

    private async Task<AuthorizationRequest?> ConsumeAsync(string state, AccountName account, string browserId, CancellationToken cancellationToken)
    {
        var request = states.Unprotect(state, account, options.Value.RedirectUriFor(account));
        var refusal = request is null ? "not issued by this app for this account"
            : request.IsExpiredAt(time.GetUtcNow()) ? "expired"
            : !OAuthSecrets.BindingMatches(request.BrowserBinding, browserId) ? "started in another browser"
            : !await requests.TryConsumeAsync(request, cancellationToken) ? "already used"
            : null;
        if (refusal is null)
        {
            return request;
        }

        LogStateRefused(logger, account.Value, refusal);
        return null;
    }

    private async ValueTask<Result<CompleteAuthorizationResult>> StoreAsync(AccountName account, TokenGrant grant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var scopes = grant.Scopes.Count > 0 ? grant.Scopes : options.Value.ScopeList;
        var tokens = TokenSet.Issue(account, grant, now);

        // Two flows for one account may finish together; the loser re-reads once, so the newest tokens win.
        for (var attempt = 1; ; attempt++)
        {
            var installation = await installations.FindAsync(account, cancellationToken) ?? Installation.Start(account, now);
            var isReinstall = installation.ActivatedAt is not null;
            installation.Activate(scopes, now);
            try
            {
                await installs.RecordInstallAsync(installation, tokens, cancellationToken);
            }
            catch (ConcurrencyException) when (attempt < 3)
            {
                continue;
            }

            await publisher.PublishAsync(installation, cancellationToken);
            return new CompleteAuthorizationResult(account, scopes, tokens.ExpiresAt, isReinstall);
        }
    }

    private Error CookieMissing()
    {
        var origin = Uri.TryCreate(options.Value.RedirectUri, UriKind.Absolute, out var redirect) ? redirect.GetLeftPart(UriPartial.Authority) : "this app's address";
        return new Error(ErrorKind.InvalidState, "browser_cookie_missing",
            "Your browser did not send back the cookie set when this install started, so the install cannot be finished here. "
            + $"Open the install link in the same browser, at {origin}, with cookies allowed for it.");
    }

    // Tokens refused here were still issued: revoke them so they do not stay live at Gorgias. Best effort, once (the
    // adapter reports transport failures as results): the user sees the refusal whatever Gorgias answers.
    private async Task RevokeBestEffortAsync(AccountName account, string refreshToken, CancellationToken cancellationToken)
    {
        var revoked = await authorizationServer.RevokeAsync(account, refreshToken, cancellationToken);
        if (!revoked.Revoked)
        {
            LogRevokeFailed(logger, account.Value, revoked.Error);
        }
    }

    private Error ExchangeFailed(TokenEndpointResult exchange, AccountName account)
    {
        LogExchangeFailed(logger, account.Value, exchange.Error!.Value, exchange.ErrorCode);
        return exchange.Error switch
        {
            AuthorizationServerError.InvalidGrant => new Error(ErrorKind.AuthorizationFailed, "invalid_grant",
                "Gorgias refused the authorization code (it may have expired). Start the install again."),
            AuthorizationServerError.RateLimited or AuthorizationServerError.Unavailable => new Error(ErrorKind.GorgiasUnavailable,
                "gorgias_unavailable", "Gorgias did not answer. Start the install again in a few minutes.", exchange.RetryAfter),
            _ => new Error(ErrorKind.GorgiasError, "gorgias_error", "The app could not be installed because of a problem on our side. Please contact the app's support."),
        };
    }

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Callback for account {Account} refused: its state was {Reason}; nothing consumed")]
    private static partial void LogStateRefused(ILogger logger, string account, string reason);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Callback for account {Account} came without the install cookie (another browser, or another host name than Gorgias:RedirectUri's); rejected, nothing consumed")]
    private static partial void LogCookieMissing(ILogger logger, string account);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Code exchange for account {Account} failed: {Error} ({ErrorCode}); check Gorgias:ClientId and Gorgias:ClientSecret if this is InvalidClient")]
    private static partial void LogExchangeFailed(ILogger logger, string account, AuthorizationServerError error, string? errorCode);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "Gorgias granted no refresh token for account {Account}; add 'offline' to Gorgias:Scopes")]
    private static partial void LogNoRefreshToken(ILogger logger, string account);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "The id_token for account {Account} was rejected: {Problem}")]
    private static partial void LogIdTokenRejected(ILogger logger, string account, string problem);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "Revoking the refused tokens of account {Account} failed: {Error}")]
    private static partial void LogRevokeFailed(ILogger logger, string account, AuthorizationServerError? error);
}

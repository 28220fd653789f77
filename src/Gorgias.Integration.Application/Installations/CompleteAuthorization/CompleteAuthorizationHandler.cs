using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Common.Security;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Application.Tokens;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Domain.Tokens;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Application.Installations.CompleteAuthorization;

/// <summary>
/// Consumes the flow's state, exchanges the code once, checks what came back, and stores the installation with its
/// tokens in one transaction. Every failure leaves nothing partial behind.
/// </summary>
internal sealed partial class CompleteAuthorizationHandler(
    IAuthorizationRequestStore requests,
    IGorgiasAuthorizationServer authorizationServer,
    IIdTokenReader idTokens,
    IInstallationRepository installations,
    IOptions<GorgiasOptions> options,
    TimeProvider time,
    DomainEventPublisher publisher,
    AccessTokenCache cache,
    ILogger<CompleteAuthorizationHandler> logger) : ICommandHandler<CompleteAuthorizationCommand, Result<CompleteAuthorizationResult>>
{
    private static readonly Error InvalidState = new(ErrorKind.InvalidState, "state_invalid",
        "This install link has expired or was already used. Start the install again from Gorgias.");

    /// <inheritdoc />
    public async ValueTask<Result<CompleteAuthorizationResult>> Handle(CompleteAuthorizationCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var account = AccountName.Parse(command.Account);

        // Consuming first makes the state single-use whatever happens next (SECURITY.md rows 6, 7, 13).
        var request = await requests.ConsumeAsync(command.State!, time.GetUtcNow(), cancellationToken);
        if (request is null)
        {
            return InvalidState;
        }

        if (request.Account != account)
        {
            LogAccountMismatch(logger, request.Account.Value, account.Value);
            return InvalidState;
        }

        if (command.BrowserId is null || !OAuthSecrets.FixedTimeEquals(request.BrowserBinding, OAuthSecrets.HashBrowserId(command.BrowserId)))
        {
            LogBrowserMismatch(logger, account.Value);
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

        if (exchange.IdToken is not null && CheckIdToken(exchange.IdToken, request, now) is { } idTokenProblem)
        {
            LogIdTokenRejected(logger, account.Value, idTokenProblem);
            return new Error(ErrorKind.AuthorizationFailed, "id_token_invalid", "Gorgias's answer could not be verified. Start the install again.");
        }

        return await StoreAsync(account, grant, now, cancellationToken);
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
                await installations.SaveAsync(installation, tokens, cancellationToken);
            }
            catch (ConcurrencyException) when (attempt < 3)
            {
                continue;
            }

            cache.Invalidate(account); // a re-install's new tokens replace any cached ones at once
            await publisher.PublishAsync(installation, cancellationToken);
            return new CompleteAuthorizationResult(account.Value, scopes, tokens.ExpiresAt, isReinstall);
        }
    }

    private string? CheckIdToken(string idToken, AuthorizationRequest request, DateTimeOffset now)
    {
        var claims = idTokens.Read(idToken);
        if (claims is null)
        {
            return "malformed";
        }

        if (!claims.Audiences.Contains(options.Value.ClientId, StringComparer.Ordinal))
        {
            return "audience";
        }

        if (claims.ExpiresAt is not { } expiresAt || expiresAt <= now)
        {
            return "expired";
        }

        return OAuthSecrets.FixedTimeEquals(claims.Nonce, request.Nonce) ? null : "nonce";
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

    [LoggerMessage(EventId = 1200, Level = LogLevel.Warning, Message = "Callback for account {Account} carried a state issued for account {IssuedFor}; rejected")]
    private static partial void LogAccountMismatch(ILogger logger, string issuedFor, string account);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Callback for account {Account} came from another browser than the one that started the install; rejected")]
    private static partial void LogBrowserMismatch(ILogger logger, string account);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Code exchange for account {Account} failed: {Error} ({ErrorCode}); check Gorgias:ClientId and Gorgias:ClientSecret if this is InvalidClient")]
    private static partial void LogExchangeFailed(ILogger logger, string account, AuthorizationServerError error, string? errorCode);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "Gorgias granted no refresh token for account {Account}; add 'offline' to Gorgias:Scopes")]
    private static partial void LogNoRefreshToken(ILogger logger, string account);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning, Message = "The id_token for account {Account} was rejected: {Problem}")]
    private static partial void LogIdTokenRejected(ILogger logger, string account, string problem);
}

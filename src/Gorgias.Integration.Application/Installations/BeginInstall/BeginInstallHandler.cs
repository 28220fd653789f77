using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
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
/// authorize URL. The host of that URL comes from <see cref="AccountName"/> only. Nothing is stored: the request travels
/// in the URL's <c>state</c>, encrypted for its account (<see cref="IAuthorizationStateProtector"/>), so a flood of
/// install starts fills no table (SECURITY.md row 37) and costs no write (docs/PERFORMANCE.md, issue 15).
/// </summary>
internal sealed class BeginInstallHandler(
    IAuthorizationStateProtector states,
    IOptions<GorgiasOptions> options,
    TimeProvider time) : ICommandHandler<BeginInstallCommand, Result<BeginInstallResult>>
{
    /// <summary>The longest browser secret accepted (the Web adapter's cookie is 43 characters).</summary>
    public const int MaxBrowserIdLength = 256;

    /// <inheritdoc />
    public ValueTask<Result<BeginInstallResult>> Handle(BeginInstallCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var activity = GorgiasActivity.Start(GorgiasTelemetry.Spans.InstallBegin);
        try
        {
            return ValueTask.FromResult(activity.Finish(Begin(command, activity)));
        }
        catch (Exception ex) when (activity.Fail(ex))
        {
            throw;
        }
    }

    private Result<BeginInstallResult> Begin(BeginInstallCommand command, Activity? activity)
    {
        var settings = options.Value;
        if (!IsValid(command, out var account, out var invalid))
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
        return new BeginInstallResult(account, BuildAuthorizeUri(settings, request, states.Protect(request)), request.ExpiresAt);
    }

    /// <summary>
    /// The command's shape: the account a DNS label, the browser secret 1 to <see cref="MaxBrowserIdLength"/> characters,
    /// both reported together as the other commands' validators report theirs. The install start is the one route any
    /// browser can call in a loop without credentials (SECURITY.md rows 37, 44), so its handler checks this itself,
    /// without FluentValidation's per-call objects (~0.7 KB of the request's ~11 KB, docs/PERFORMANCE.md).
    /// </summary>
    private static bool IsValid(BeginInstallCommand command, [NotNullWhen(true)] out AccountName? account, [NotNullWhen(false)] out Error? error)
    {
        ValidationFailureField? browserIdProblem = command.BrowserId is { Length: > 0 and <= MaxBrowserIdLength }
            ? null
            : new("browserId", $"The browser id must be 1 to {MaxBrowserIdLength} characters.");
        if (AccountName.TryParse(command.Account, out account, out var problem))
        {
            error = browserIdProblem is { } browserId ? Errors.Validation([browserId]) : null;
            return error is null;
        }

        var accountProblem = new ValidationFailureField(AccountRules.Field, problem);
        error = Errors.Validation(browserIdProblem is { } both ? [accountProblem, both] : [accountProblem]);
        return false;
    }

    // The parts of the authorize URL that depend on configuration only, built once per options instance.
    private static readonly ConditionalWeakTable<GorgiasOptions, UrlParts> Parts = [];

    /// <summary>
    /// Gorgias's authorize URL: the account's base URL with <c>/oauth/authorize</c> appended to its path, and the query.
    /// Built as one string and parsed once (each <see cref="Uri"/> or <see cref="UriBuilder"/> step copied the ~700
    /// characters again); the protected state, nonce and challenge are base64url and the account a lower-case DNS label, so escaping
    /// leaves them as they are.
    /// </summary>
    private static Uri BuildAuthorizeUri(GorgiasOptions settings, AuthorizationRequest request, string protectedState)
    {
        var parts = Parts.GetValue(settings, UrlParts.For);
        var account = request.Account.Value;
        var state = Uri.EscapeDataString(protectedState);
        var nonce = Uri.EscapeDataString(request.Nonce);
        var challenge = request.CodeVerifier is { } verifier ? OAuthSecrets.CodeChallenge(verifier) : null;
        if (parts.Base.Length != 2 || parts.Redirect.Length != 2)
        {
            // The account appears more than once in the template: join the parts around each occurrence.
            return Build(string.Join(account, parts.Base), parts.FixedQuery, string.Join(account, parts.Redirect), state, nonce, challenge);
        }

        // One interpolation per shape (the compiler joins '+'-ed interpolations into one), so the long string is written
        // once into a pooled buffer.
        return new Uri(challenge is not null
            ? $"{parts.Base[0]}{account}{parts.Base[1]}/oauth/authorize?{parts.FixedQuery}&redirect_uri={parts.Redirect[0]}{account}{parts.Redirect[1]}" +
              $"&state={state}&nonce={nonce}&code_challenge={challenge}&code_challenge_method=S256"
            : $"{parts.Base[0]}{account}{parts.Base[1]}/oauth/authorize?{parts.FixedQuery}&redirect_uri={parts.Redirect[0]}{account}{parts.Redirect[1]}" +
              $"&state={state}&nonce={nonce}");
    }

    private static Uri Build(string baseUrl, string fixedQuery, string redirectUri, string state, string nonce, string? challenge) =>
        new(challenge is not null
            ? $"{baseUrl}/oauth/authorize?{fixedQuery}&redirect_uri={redirectUri}&state={state}&nonce={nonce}&code_challenge={challenge}&code_challenge_method=S256"
            : $"{baseUrl}/oauth/authorize?{fixedQuery}&redirect_uri={redirectUri}&state={state}&nonce={nonce}");

    /// <summary>
    /// The configuration-only parts of the authorize URL: the base URL's canonical authority and path (as
    /// <see cref="GorgiasOptions.BaseUriFor"/> parses them) and the escaped redirect URI, each split where the account goes
    /// (found once with a marker label in its place), and the escaped client id and scopes.
    /// </summary>
    private sealed record UrlParts(string[] Base, string FixedQuery, string[] Redirect)
    {
        // A lower-case DNS label, as every account is: canonicalisation and escaping leave it as it is.
        private const string Marker = "gorgiasaccountmarker0";

        public static UrlParts For(GorgiasOptions options)
        {
            var account = AccountName.Parse(Marker);
            var baseUri = options.BaseUriFor(account);
            var canonicalBase = baseUri.GetLeftPart(UriPartial.Authority) + baseUri.AbsolutePath.TrimEnd('/');
            var fixedQuery = $"response_type=code&client_id={Uri.EscapeDataString(options.ClientId)}&scope={Uri.EscapeDataString(string.Join(' ', options.ScopeList))}";
            return new UrlParts(canonicalBase.Split(Marker), fixedQuery, Uri.EscapeDataString(options.RedirectUriFor(account)).Split(Marker));
        }
    }
}

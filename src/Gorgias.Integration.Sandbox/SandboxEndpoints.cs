using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Sandbox;

/// <summary>
/// A local stand-in for Gorgias: the consent page, <c>/oauth/token</c>, <c>/oauth/revoke</c> and <c>/api/account</c>
/// for any account, answering the way Gorgias does (<c>expires_in: 0</c>, no new refresh token on refresh).
/// Register its services with <see cref="SandboxServiceCollectionExtensions.AddGorgiasSandbox"/>.
/// </summary>
public static class SandboxEndpoints
{
    private const string AccountRouteValue = "account";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Maps the sandbox under <c><paramref name="prefix"/>/{account}</c>, so that a base URL template of
    /// <c>http://host:port/sandbox/{account}</c> addresses one account. An account that is not one DNS label gets 404.
    /// </summary>
    public static IEndpointRouteBuilder MapGorgiasSandbox(this IEndpointRouteBuilder endpoints, string prefix = "/sandbox")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        var basePath = "/" + prefix.Trim('/');
        basePath = basePath == "/" ? "" : basePath;

        var group = endpoints.MapGroup(basePath + "/{" + AccountRouteValue + "}");
        group.AddEndpointFilter(static async (context, next) =>
            IsAccount(context.HttpContext.GetRouteValue(AccountRouteValue) as string) ? await next(context) : Results.NotFound());

        group.MapGet("/oauth/authorize", Authorize);
        group.MapPost("/oauth/authorize/decision", DecideAsync).DisableAntiforgery();
        group.MapPost("/oauth/token", (string account, HttpContext context) => TokenAsync(account, context, basePath)).DisableAntiforgery();
        group.MapPost("/oauth/revoke", RevokeAsync).DisableAntiforgery();
        group.MapGet("/api/account", GetAccount);
        SandboxApi.Map(group);
        return endpoints;
    }

    private static IResult Authorize(string account, HttpContext context)
    {
        var options = Options(context);
        var request = AuthorizeRequest.Parse(name => context.Request.Query[name], options.ClientId, out var error);
        NoStore(context.Response);
        if (request is null)
        {
            return Results.Text($"Invalid authorization request: {error}", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        // The page only ever posts to itself and must not be framed (clickjacking the Allow button).
        context.Response.Headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        context.Response.Headers["X-Frame-Options"] = "DENY";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        return Results.Text(ConsentPage.Render(Normalize(account), request), "text/html; charset=utf-8");
    }

    private static async Task<IResult> DecideAsync(string account, HttpContext context)
    {
        var options = Options(context);
        if (!context.Request.HasFormContentType)
        {
            return Results.Text("Invalid decision: expected a form.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var request = AuthorizeRequest.Parse(name => form[name], options.ClientId, out var error);
        var decision = form["decision"].ToString();
        if (request is null || decision is not ("allow" or "deny"))
        {
            error ??= "'decision' must be 'allow' or 'deny'.";
            return Results.Text($"Invalid decision: {error}", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        NoStore(context.Response);
        string query;
        if (decision == "allow")
        {
            var services = context.RequestServices;
            var code = services.GetRequiredService<SandboxState>().IssueCode(new AuthorizationCode(
                Normalize(account), request.ClientId, request.RedirectUri, request.Scope, request.Nonce,
                request.CodeChallenge, request.CodeChallengeMethod,
                services.GetRequiredService<TimeProvider>().GetUtcNow() + SandboxState.CodeLifetime));
            query = $"code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(request.State)}";
        }
        else
        {
            query = $"error=access_denied&error_description={Uri.EscapeDataString("The user denied access to the app.")}&state={Uri.EscapeDataString(request.State)}";
        }

        var separator = request.RedirectUri.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect(request.RedirectUri + separator + query);
    }

    private static async Task<IResult> TokenAsync(string account, HttpContext context, string basePath)
    {
        account = Normalize(account);
        var services = context.RequestServices;
        var options = Options(context);
        var state = services.GetRequiredService<SandboxState>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var form = await ReadFormAsync(context);
        services.GetRequiredService<SandboxMonitor>().RecordTokenRequest(form);
        NoStore(context.Response);

        if (!IsClient(context.Request, options))
        {
            return InvalidClient(context.Response);
        }

        var grantType = form.GetValueOrDefault("grant_type");
        string scope;
        string? nonce = null;
        string? refreshToken = null;
        var subject = "1";
        switch (grantType)
        {
            case "authorization_code":
                {
                    var value = form.GetValueOrDefault("code");
                    if (string.IsNullOrEmpty(value))
                    {
                        return OAuthError("invalid_request", "The code is missing.");
                    }

                    var code = state.RedeemCode(value);
                    if (code is null
                        || code.ExpiresAt <= now
                        || !string.Equals(code.Account, account, StringComparison.Ordinal)
                        || !string.Equals(code.ClientId, options.ClientId, StringComparison.Ordinal)
                        || !string.Equals(code.RedirectUri, form.GetValueOrDefault("redirect_uri"), StringComparison.Ordinal)
                        || !VerifiesPkce(code, form.GetValueOrDefault("code_verifier")))
                    {
                        return OAuthError("invalid_grant", "The code is invalid, expired, already used, or does not match the request.");
                    }

                    scope = code.Scope;
                    nonce = code.Nonce;
                    if (HasScope(scope, "offline"))
                    {
                        refreshToken = state.IssueRefreshToken(new RefreshGrant(account, options.ClientId, scope, subject));
                    }

                    break;
                }

            case "refresh_token":
                {
                    var value = form.GetValueOrDefault("refresh_token");
                    if (string.IsNullOrEmpty(value))
                    {
                        return OAuthError("invalid_request", "The refresh token is missing.");
                    }

                    if (options.RevokeGrantOnReuse && state.FindAnyRefreshToken(value) is { IsRevoked: true } reused)
                    {
                        // RFC 9700 4.14.2: a rotated refresh token presented again means it leaked; the whole grant goes.
                        reused.Family.Revoke();
                    }

                    var grant = state.FindRefreshToken(value);
                    if (grant is null
                        || !string.Equals(grant.Account, account, StringComparison.Ordinal)
                        || !string.Equals(grant.ClientId, options.ClientId, StringComparison.Ordinal)
                        || (options.RotateRefreshTokens && !grant.TryRevoke()))
                    {
                        return OAuthError("invalid_grant", "The refresh token is invalid or revoked.");
                    }

                    scope = grant.Scope;
                    subject = grant.Subject;
                    if (options.RotateRefreshTokens)
                    {
                        refreshToken = state.IssueRefreshToken(new RefreshGrant(account, options.ClientId, scope, subject, grant.Family));
                    }

                    break;
                }

            default:
                return OAuthError("unsupported_grant_type", "Use authorization_code or refresh_token.");
        }

        var issuer = IssuerFor(context.Request, basePath, account);
        var issuedAt = now.ToUnixTimeSeconds();
        var expiresAt = (now + options.AccessTokenLifetime).ToUnixTimeSeconds();
        var accessToken = SandboxJwt.Issue(state.SigningKey, SandboxJwt.AccessTokenHeader, claims =>
        {
            claims.WriteString("iss", issuer);
            claims.WriteString("sub", subject);
            claims.WriteString("aud", issuer + "/api");
            claims.WriteNumber("iat", issuedAt);
            claims.WriteNumber("exp", expiresAt);
            claims.WriteString("azp", options.ClientId);
            claims.WriteString("jti", SandboxState.NewSecret());
            claims.WriteString("scope", scope);
        });

        string? idToken = null;
        if (grantType == "authorization_code" && HasScope(scope, "openid"))
        {
            idToken = SandboxJwt.Issue(state.SigningKey, SandboxJwt.IdTokenHeader, claims =>
            {
                claims.WriteString("iss", issuer);
                claims.WriteString("sub", subject);
                claims.WriteString("aud", options.ClientId);
                claims.WriteNumber("iat", issuedAt);
                claims.WriteNumber("exp", expiresAt);
                if (nonce is not null)
                {
                    claims.WriteString("nonce", nonce);
                }

                claims.WriteString("email", $"owner@{account}.example");
                claims.WriteString("name", "Sandbox Owner");
            });
        }

        return Json(StatusCodes.Status200OK, json =>
        {
            json.WriteString("access_token", accessToken);

            // Gorgias says 0 although the token lives 24 hours; the JWT's exp is the truth.
            json.WriteNumber("expires_in", 0);
            if (idToken is not null)
            {
                json.WriteString("id_token", idToken);
            }

            if (refreshToken is not null)
            {
                json.WriteString("refresh_token", refreshToken);
            }

            json.WriteString("scope", scope);
            json.WriteString("token_type", "Bearer");
        });
    }

    private static async Task<IResult> RevokeAsync(string account, HttpContext context)
    {
        account = Normalize(account);
        var options = Options(context);
        var form = await ReadFormAsync(context);
        context.RequestServices.GetRequiredService<SandboxMonitor>().RecordRevocation(form);
        NoStore(context.Response);
        if (!IsClient(context.Request, options))
        {
            return InvalidClient(context.Response);
        }

        var token = form.GetValueOrDefault("token");
        if (string.IsNullOrEmpty(token))
        {
            return OAuthError("invalid_request", "The token is missing.");
        }

        // RFC 7009 §2.2: 200 whether or not the token was known; an access token is a stateless JWT and stays valid.
        context.RequestServices.GetRequiredService<SandboxState>().RevokeRefreshToken(token, account, options.ClientId);
        return Json(StatusCodes.Status200OK, static _ => { });
    }

    private static IResult GetAccount(string account, HttpContext context)
    {
        account = Normalize(account);
        var services = context.RequestServices;
        services.GetRequiredService<SandboxMonitor>().RecordApiCall();
        var state = services.GetRequiredService<SandboxState>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!IsValidAccessToken(context.Request, state, account, now))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Json(StatusCodes.Status401Unauthorized, static json => json.WriteString("error", "Unauthorized"));
        }

        var (level, retryAfter) = state.CountApiCall(account, now);
        context.Response.Headers["X-Gorgias-Account-Api-Call-Limit"] = $"{level}/{state.ApiCallLimit}";
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((long)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return Json(StatusCodes.Status429TooManyRequests, static json => json.WriteString("error", "Too Many Requests"));
        }

        return Json(StatusCodes.Status200OK, json =>
        {
            json.WriteString("created_datetime", "2017-11-23T15:59:41.966927");
            json.WriteNull("deactivated_datetime");
            json.WriteString("domain", account);
            json.WriteStartArray("settings");
            json.WriteEndArray();
            json.WriteStartObject("status");
            json.WriteString("status", "active");
            json.WriteEndObject();
        });
    }

    private static bool IsValidAccessToken(HttpRequest request, SandboxState state, string account, DateTimeOffset now)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        using var payload = SandboxJwt.Read(state.SigningKey, SandboxJwt.AccessTokenHeader, value["Bearer ".Length..].Trim());
        if (payload is null)
        {
            return false;
        }

        var claims = payload.RootElement;
        return claims.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var expiresAt) && expiresAt > now.ToUnixTimeSeconds()
            && claims.TryGetProperty("iss", out var iss) && iss.ValueKind == JsonValueKind.String
            && iss.GetString()!.EndsWith("/" + account, StringComparison.Ordinal);
    }

    private static bool VerifiesPkce(AuthorizationCode code, string? verifier)
    {
        if (code.CodeChallenge is null)
        {
            // Like Gorgias today: no challenge at authorize, nothing to check (an unexpected verifier is ignored).
            return true;
        }

        if (string.IsNullOrEmpty(verifier) || verifier.Length is < 43 or > 128)
        {
            return false;
        }

        var computed = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(code.CodeChallenge));
    }

    /// <summary>RFC 6749 §2.3.1: the id and secret are form-urlencoded, then joined with ':' and base64-encoded.</summary>
    private static bool IsClient(HttpRequest request, SandboxOptions options)
    {
        var header = request.Headers.Authorization;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string credentials;
        try
        {
            credentials = StrictUtf8.GetString(Convert.FromBase64String(value["Basic ".Length..].Trim()));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return false;
        }

        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        var id = WebUtility.UrlDecode(credentials[..colon]);
        var secret = WebUtility.UrlDecode(credentials[(colon + 1)..]);
        return FixedTimeEquals(id, options.ClientId) & FixedTimeEquals(secret, options.ClientSecret);
    }

    private static bool FixedTimeEquals(string left, string right) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));

    private static async Task<IReadOnlyDictionary<string, string>> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return new Dictionary<string, string>();
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return form.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
    }

    private static IResult InvalidClient(HttpResponse response)
    {
        response.Headers.WWWAuthenticate = "Basic realm=\"gorgias-sandbox\"";
        return Json(StatusCodes.Status401Unauthorized, static json => json.WriteString("error", "invalid_client"));
    }

    private static IResult OAuthError(string error, string description) =>
        Json(StatusCodes.Status400BadRequest, json =>
        {
            json.WriteString("error", error);
            json.WriteString("error_description", description);
        });

    private static IResult Json(int statusCode, Action<Utf8JsonWriter> writeProperties)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }

        return Results.Text(Encoding.UTF8.GetString(buffer.ToArray()), "application/json", Encoding.UTF8, statusCode);
    }

    private static string IssuerFor(HttpRequest request, string basePath, string account) =>
        $"{request.Scheme}://{request.Host}{request.PathBase}{basePath}/{account}";

    private static bool HasScope(string scope, string wanted) =>
        scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(wanted, StringComparer.Ordinal);

    private static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    private static SandboxOptions Options(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<SandboxOptions>>().Value;

    // Gorgias host names are case-insensitive; the account is compared in lower case.
    private static string Normalize(string account) => account.ToLowerInvariant();

    /// <summary>One DNS label (RFC 1123), length checked before anything else.</summary>
    private static bool IsAccount(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 63 || value[0] == '-' || value[^1] == '-')
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-'))
            {
                return false;
            }
        }

        return true;
    }
}

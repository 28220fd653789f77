using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gorgias.Integration.Sandbox;

/// <summary>
/// What every <c>/api/*</c> call passes first, as at Gorgias: a bearer token the sandbox issued for the account, then
/// the account's call bucket (the <c>X-Gorgias-Account-Api-Call-Limit</c> header, a 429 with <c>Retry-After</c> when full).
/// </summary>
internal static class SandboxApiGate
{
    /// <summary>The refusal to answer, or null when the call may go on; <paramref name="scope"/> is the token's scope claim.</summary>
    internal static IResult? Admit(HttpContext context, string account, bool requireScope, out string? scope)
    {
        var services = context.RequestServices;
        services.GetRequiredService<SandboxMonitor>().RecordApiCall();
        var state = services.GetRequiredService<SandboxState>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        if (!IsValidAccessToken(context.Request, state, account, now, out scope) || (requireScope && scope is null))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return SandboxApiResults.Error(StatusCodes.Status401Unauthorized, "Unauthorized");
        }

        var (level, retryAfter) = state.CountApiCall(account, now);
        context.Response.Headers["X-Gorgias-Account-Api-Call-Limit"] = $"{level}/{state.ApiCallLimit}";
        if (retryAfter is { } wait)
        {
            context.Response.Headers.RetryAfter = ((long)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return SandboxApiResults.Error(StatusCodes.Status429TooManyRequests, "Too Many Requests");
        }

        return null;
    }

    private static bool IsValidAccessToken(HttpRequest request, SandboxState state, string account, DateTimeOffset now, out string? scope)
    {
        scope = null;
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
        var valid = claims.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var expiresAt) && expiresAt > now.ToUnixTimeSeconds()
            && claims.TryGetProperty("iss", out var iss) && iss.ValueKind == JsonValueKind.String
            && iss.GetString()!.EndsWith("/" + account, StringComparison.Ordinal);
        if (valid && claims.TryGetProperty("scope", out var granted) && granted.ValueKind == JsonValueKind.String)
        {
            scope = granted.GetString();
        }

        return valid;
    }
}

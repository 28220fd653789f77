using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Sandbox;

/// <summary>What the OAuth endpoints share: client authentication, form reading and OAuth-shaped answers.</summary>
internal static class SandboxOAuthHttp
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>RFC 6749 §2.3.1: the id and secret are form-urlencoded, then joined with ':' and base64-encoded.</summary>
    internal static bool IsClient(HttpRequest request, SandboxOptions options)
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

    internal static async Task<IReadOnlyDictionary<string, string>> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return new Dictionary<string, string>();
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        return form.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.Ordinal);
    }

    internal static IResult InvalidClient(HttpResponse response)
    {
        response.Headers.WWWAuthenticate = "Basic realm=\"gorgias-sandbox\"";
        return Json(StatusCodes.Status401Unauthorized, static json => json.WriteString("error", "invalid_client"));
    }

    internal static IResult OAuthError(string error, string description) =>
        Json(StatusCodes.Status400BadRequest, json =>
        {
            json.WriteString("error", error);
            json.WriteString("error_description", description);
        });

    internal static IResult Json(int statusCode, Action<Utf8JsonWriter> writeProperties)
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

    internal static bool HasScope(string scope, string wanted) =>
        scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(wanted, StringComparer.Ordinal);

    internal static void NoStore(HttpResponse response)
    {
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    internal static SandboxOptions Options(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<SandboxOptions>>().Value;

    // Gorgias host names are case-insensitive; the account is compared in lower case.
    internal static string Normalize(string account) => account.ToLowerInvariant();
}

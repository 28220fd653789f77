using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gorgias.Integration.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Gorgias.Integration.Infrastructure.Tests.Sandbox;

/// <summary>Plays the browser through the sandbox's consent page.</summary>
public static class SandboxFlow
{
    public const string RedirectUri = "https://app.example/oauth/callback?account=acme";
    public const string Scopes = "openid email profile offline account:read";

    public static Dictionary<string, string?> AuthorizeParameters(
        string scope = Scopes, string redirectUri = RedirectUri, string state = "state-1", string? nonce = "nonce-1", string? codeChallenge = null)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = SandboxCredentials.ClientId,
            ["redirect_uri"] = redirectUri,
            ["state"] = state,
            ["scope"] = scope,
        };
        if (nonce is not null)
        {
            parameters["nonce"] = nonce;
        }

        if (codeChallenge is not null)
        {
            parameters["code_challenge"] = codeChallenge;
            parameters["code_challenge_method"] = "S256";
        }

        return parameters;
    }

    public static string AuthorizePath(string account, IEnumerable<KeyValuePair<string, string?>> parameters) =>
        $"sandbox/{account}/oauth/authorize{QueryString.Create(parameters)}";

    /// <summary>Opens the consent page, clicks Allow, and returns the code from the redirect.</summary>
    public static async Task<string> ApproveAsync(
        SandboxServer host, string account = "acme", string scope = Scopes, string redirectUri = RedirectUri,
        string? nonce = "nonce-1", string? codeChallenge = null)
    {
        var parameters = AuthorizeParameters(scope, redirectUri, "state-1", nonce, codeChallenge);
        using var client = host.CreateClient();
        using var page = await client.GetAsync(AuthorizePath(account, parameters));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        using var decision = await DecideAsync(client, account, parameters, "allow");
        Assert.Equal(HttpStatusCode.Redirect, decision.StatusCode);
        var query = QueryHelpers.ParseQuery(decision.Headers.Location!.Query);
        Assert.Equal("state-1", query["state"].ToString());
        return query["code"].ToString();
    }

    public static Task<HttpResponseMessage> DecideAsync(
        HttpClient client, string account, Dictionary<string, string?> parameters, string decision)
    {
        var form = parameters.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!);
        form["decision"] = decision;
        return client.PostAsync($"sandbox/{account}/oauth/authorize/decision", new FormUrlEncodedContent(form));
    }

    public static string NewCodeVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string ChallengeFor(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string Base64Url(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}

using Microsoft.Extensions.Primitives;

namespace Gorgias.Integration.Sandbox;

/// <summary>The parameters of an authorization request, checked the same way on the consent page and on the decision.</summary>
internal sealed record AuthorizeRequest(
    string ClientId,
    string RedirectUri,
    string State,
    string Scope,
    string? Nonce,
    string? CodeChallenge,
    string? CodeChallengeMethod)
{
    /// <summary>
    /// Parses the parameters read by <paramref name="get"/>; on failure <paramref name="error"/> says why (naming the
    /// parameter, never echoing its value). Failures are never redirected: the redirect URI is not trusted yet.
    /// </summary>
    public static AuthorizeRequest? Parse(Func<string, StringValues> get, string expectedClientId, out string? error)
    {
        error = null;
        string? Required(string name, ref string? failure)
        {
            var values = get(name);
            if (values.Count != 1 || string.IsNullOrEmpty(values[0]))
            {
                failure ??= values.Count > 1 ? $"'{name}' is repeated." : $"'{name}' is missing.";
                return null;
            }

            return values[0];
        }

        string? Optional(string name, ref string? failure)
        {
            var values = get(name);
            if (values.Count > 1)
            {
                failure ??= $"'{name}' is repeated.";
                return null;
            }

            return string.IsNullOrEmpty(values.ToString()) ? null : values[0];
        }

        var responseType = Required("response_type", ref error);
        var clientId = Required("client_id", ref error);
        var redirectUri = Required("redirect_uri", ref error);
        var state = Required("state", ref error);
        var scope = Required("scope", ref error);
        var nonce = Optional("nonce", ref error);
        var challenge = Optional("code_challenge", ref error);
        var method = Optional("code_challenge_method", ref error);
        if (error is not null)
        {
            return null;
        }

        if (!string.Equals(responseType, "code", StringComparison.Ordinal))
        {
            error = "'response_type' must be 'code'.";
        }
        else if (!string.Equals(clientId, expectedClientId, StringComparison.Ordinal))
        {
            error = "'client_id' is not a registered app.";
        }
        else if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var redirect) || redirect.Scheme is not ("http" or "https")
                 || !string.IsNullOrEmpty(redirect.Fragment))
        {
            error = "'redirect_uri' must be an absolute http(s) URL without a fragment.";
        }
        else if (challenge is not null && !string.Equals(method, "S256", StringComparison.Ordinal))
        {
            error = "'code_challenge_method' must be 'S256'.";
        }
        else if (challenge is null && method is not null)
        {
            error = "'code_challenge_method' was sent without 'code_challenge'.";
        }

        return error is null ? new AuthorizeRequest(clientId!, redirectUri!, state!, scope!, nonce, challenge, method) : null;
    }

    /// <summary>The parameters to carry through the consent form.</summary>
    public IEnumerable<(string Name, string Value)> Parameters()
    {
        yield return ("response_type", "code");
        yield return ("client_id", ClientId);
        yield return ("redirect_uri", RedirectUri);
        yield return ("state", State);
        yield return ("scope", Scope);
        if (Nonce is not null)
        {
            yield return ("nonce", Nonce);
        }

        if (CodeChallenge is not null)
        {
            yield return ("code_challenge", CodeChallenge);
            yield return ("code_challenge_method", CodeChallengeMethod!);
        }
    }
}

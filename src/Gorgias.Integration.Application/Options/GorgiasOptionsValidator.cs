namespace Gorgias.Integration.Application.Options;

/// <summary>
/// Checks <see cref="GorgiasOptions"/> when a host starts, so an embedding app with a missing client secret or a
/// malformed URL template fails at start-up with every key named, not at the first install.
/// </summary>
internal sealed class GorgiasOptionsValidator : OptionsValidator<GorgiasOptions>
{
    /// <inheritdoc />
    public override IReadOnlyList<string> FindProblems(GorgiasOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            errors.Add("Gorgias:ClientId is missing: set it to the client id from Gorgias's developer portal.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            errors.Add("Gorgias:ClientSecret is missing: set it from a secret store or the environment (Gorgias__ClientSecret).");
        }

        if (!Uri.TryCreate(options.RedirectUri, UriKind.Absolute, out var redirect) || redirect.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(redirect.Fragment))
        {
            errors.Add("Gorgias:RedirectUri must be an absolute http(s) URL without a fragment, e.g. https://app.example/oauth/callback.");
        }

        if (!options.BaseUrlTemplate.Contains(GorgiasOptions.AccountPlaceholder, StringComparison.Ordinal)
            || !Uri.TryCreate(options.BaseUrlTemplate.Replace(GorgiasOptions.AccountPlaceholder, "acme", StringComparison.Ordinal), UriKind.Absolute, out var baseUri)
            || baseUri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(baseUri.Query) || !string.IsNullOrEmpty(baseUri.UserInfo))
        {
            errors.Add("Gorgias:BaseUrlTemplate must be an absolute http(s) URL containing {account}, e.g. https://{account}.gorgias.com.");
        }

        if (options.ScopeList.Count == 0)
        {
            errors.Add("Gorgias:Scopes is empty: list the scopes to request, including 'offline'.");
        }

        if (options.RefreshBeforeExpiry < TimeSpan.Zero || options.RefreshBeforeExpiry > TimeSpan.FromHours(12))
        {
            errors.Add("Gorgias:RefreshBeforeExpiry must be between 00:00:00 and 12:00:00.");
        }

        if (options.TokenCacheRevalidation <= TimeSpan.Zero || options.TokenCacheRevalidation > TimeSpan.FromHours(1))
        {
            errors.Add("Gorgias:TokenCacheRevalidation must be positive and at most 01:00:00.");
        }

        if (options.HttpTimeout <= TimeSpan.Zero || options.HttpTimeout > TimeSpan.FromSeconds(15))
        {
            errors.Add("Gorgias:HttpTimeout must be positive and at most 00:00:15.");
        }

        if (options.RefreshLeaseTimeout <= options.HttpTimeout || options.RefreshLeaseTimeout > TimeSpan.FromMinutes(5))
        {
            errors.Add("Gorgias:RefreshLeaseTimeout must be longer than Gorgias:HttpTimeout (a refresh holds the lease through one Gorgias call) "
                + "and at most 00:05:00; the default is 00:00:30.");
        }

        if (options.AuthorizationLifetime <= TimeSpan.Zero || options.AuthorizationLifetime > TimeSpan.FromHours(1))
        {
            errors.Add("Gorgias:AuthorizationLifetime must be positive and at most 01:00:00.");
        }

        return errors;
    }
}

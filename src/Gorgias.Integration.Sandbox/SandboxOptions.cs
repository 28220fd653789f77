namespace Gorgias.Integration.Sandbox;

/// <summary>
/// The one OAuth client the sandbox knows, and how it behaves. The defaults match Gorgias: access tokens live
/// 24 hours and a refresh does not return a new refresh token.
/// </summary>
public sealed class SandboxOptions
{
    /// <summary>The client id the sandbox accepts (compare Gorgias's developer portal).</summary>
    public string ClientId { get; set; } = "sandbox-client";

    /// <summary>The client secret the sandbox accepts in the HTTP Basic header.</summary>
    public string ClientSecret { get; set; } = "sandbox-secret";

    /// <summary>Lifetime written into the access token's <c>exp</c> claim (the response still says <c>expires_in: 0</c>).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>When true, a refresh returns a new refresh token and revokes the old one (Gorgias does not do this).</summary>
    public bool RotateRefreshTokens { get; set; }

    /// <summary>
    /// With <see cref="RotateRefreshTokens"/>: a refresh token used a second time revokes every refresh token of its
    /// authorization, as RFC 9700 recommends (an app that sends one refresh token twice loses the account).
    /// </summary>
    public bool RevokeGrantOnReuse { get; set; }

    /// <summary>The API call bucket's size per account (Gorgias: 80 per 20 s); raise it for load tests.</summary>
    public int ApiCallLimit { get; set; } = 80;

    /// <summary>Calls per event delivery to an HTTP integration (the first and its retries), as Gorgias retries failed calls.</summary>
    public int EventDeliveryAttempts { get; set; } = 3;

    /// <summary>The wait between two calls of one delivery.</summary>
    public TimeSpan EventRetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}

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
}

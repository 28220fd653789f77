namespace Gorgias.Integration;

/// <summary>
/// What <see cref="GorgiasIntegrationExtensions.AddGorgiasIntegration(Microsoft.AspNetCore.Builder.WebApplicationBuilder, Action{GorgiasIntegrationOptions}?)"/>
/// registers. Everything is on by default; each switch is an explicit opt-out for a host that provides the piece itself.
/// </summary>
public sealed class GorgiasIntegrationOptions
{
    /// <summary>
    /// Runs the background maintenance (token renewal ahead of expiry, retries of failed revocations, purge of abandoned
    /// installs). Turn off only when another process sharing the database runs it.
    /// </summary>
    public bool BackgroundMaintenance { get; set; } = true;

    /// <summary>
    /// Redacts authorization codes, states, tokens and secrets from every log line, the framework's included. Turn off
    /// only when the host redacts its logs itself.
    /// </summary>
    public bool LogRedaction { get; set; } = true;

    /// <summary>
    /// Mounts the local stand-in for Gorgias at <see cref="SandboxPath"/> (Development only). Null: configuration key
    /// <c>Gorgias:Sandbox</c> decides.
    /// </summary>
    public bool? Sandbox { get; set; }

    /// <summary>
    /// The storage adapter. Null: configuration key <c>Integration:Storage</c> decides (<c>Sqlite</c>, the default, or
    /// <c>PostgreSql</c>).
    /// </summary>
    public GorgiasStorage? Storage { get; set; }

    /// <summary>Where the sandbox is mounted when it is on.</summary>
    public string SandboxPath { get; set; } = "/sandbox";
}

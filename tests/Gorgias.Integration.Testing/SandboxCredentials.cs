namespace Gorgias.Integration.Testing;

/// <summary>The one app every test registers with the sandbox and configures the integration core with.</summary>
public static class SandboxCredentials
{
    /// <summary>The app's OAuth client id.</summary>
    public const string ClientId = "sandbox-test-client";

    /// <summary>The app's OAuth client secret; not a real one.</summary>
    public const string ClientSecret = "sandbox-test-secret-not-real";
}

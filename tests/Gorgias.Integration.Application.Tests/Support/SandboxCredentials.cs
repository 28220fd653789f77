namespace Gorgias.Integration.Application.Tests.Support;

/// <summary>The app these tests register with the sandbox and configure the integration core with.</summary>
public static class SandboxCredentials
{
    public const string ClientId = "app-test-client";
    public const string ClientSecret = "app-test-secret-not-real";
}

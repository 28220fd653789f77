namespace Gorgias.Integration.Infrastructure.Tests.Sandbox;

/// <summary>The app these tests register with the sandbox.</summary>
public static class SandboxCredentials
{
    public const string ClientId = "sandbox-test-client";
    public const string ClientSecret = "sandbox-test-secret";
}

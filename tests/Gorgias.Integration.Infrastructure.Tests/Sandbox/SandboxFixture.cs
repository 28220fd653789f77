using Gorgias.Integration.Testing;

namespace Gorgias.Integration.Infrastructure.Tests.Sandbox;

/// <summary>One sandbox shared by a test class, with the default options.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    private SandboxServer? _host;

    public SandboxServer Host => _host ?? throw new InvalidOperationException("The sandbox has not started.");

    public async Task InitializeAsync() =>
        _host = await SandboxServer.StartAsync(SandboxCredentials.ClientId, SandboxCredentials.ClientSecret);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}

using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Gorgias.Integration.Browser.Tests.Support;

/// <summary>
/// The real Host on a real Kestrel socket at 127.0.0.1, so a real browser can reach it: start page, sandbox
/// (its own "Gorgias") and callback all on one origin. The Host calls the sandbox's token endpoint over the same socket.
/// </summary>
/// <remarks>
/// The sandbox URLs and the redirect URI are read once at start-up, before Kestrel would report a dynamic port, so the
/// port is chosen first: bind 127.0.0.1:0, read the port the OS gave, release it, and hand it to Kestrel and the settings.
/// </remarks>
public sealed class KestrelHost : WebApplicationFactory<Program>
{
    public const string AdminKey = "browser-test-admin-key-0123456789";

    private readonly string _folder = Directory.CreateTempSubdirectory("gorgias-browser-").FullName;
    private readonly Dictionary<string, string?> _settings;

    public KestrelHost()
    {
        var port = FreeLoopbackPort();
        Origin = new Uri($"http://127.0.0.1:{port}");
        _settings = new Dictionary<string, string?>
        {
            ["urls"] = Origin.GetLeftPart(UriPartial.Authority),
            ["Gorgias:Sandbox"] = "true",
            ["Gorgias:ClientId"] = "browser-test-client",
            ["Gorgias:ClientSecret"] = "browser-test-secret-not-real",
            ["Gorgias:BaseUrlTemplate"] = $"http://127.0.0.1:{port}/sandbox/{{account}}",
            ["Gorgias:RedirectUri"] = $"http://127.0.0.1:{port}/oauth/callback",
            ["Integration:AdminApiKey"] = AdminKey,
            ["ConnectionStrings:Integration"] = $"Data Source={Path.Combine(_folder, "integration.db")}",
            ["DataProtection:KeysPath"] = Path.Combine(_folder, "keys"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        UseKestrel(port);
    }

    /// <summary>Where the Host listens, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Origin { get; }

    /// <summary>A client for the admin routes, over the socket.</summary>
    public HttpClient CreateAdmin()
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Origin, AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new("Bearer", AdminKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow machine must not fail tests that already passed.
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

namespace Gorgias.Integration.Cli.Tests;

/// <summary>The tool on PostgreSQL (GORGIAS_TEST_POSTGRES), with the key ring in the database the app installed into.</summary>
public sealed class PostgreSqlCliTests() : CliTests(GorgiasStorage.PostgreSql)
{
    protected override IReadOnlyDictionary<string, string?> UnreachableDatabase() => new Dictionary<string, string?>
    {
        // A port nothing listens on: the listener is closed again before the tool runs.
        ["ConnectionStrings:Integration"] = $"Host=127.0.0.1;Port={ClosedPort()};Database=gorgias;Username=gorgias;Password={FakePassword};Timeout=5",
    };

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

using Gorgias.Integration.Testing;
using Microsoft.Data.Sqlite;

namespace Gorgias.Integration.Web.Tests;

/// <summary>
/// The Host reloads <c>appsettings.json</c> by polling it, and watches no folder with inotify: its content root holds
/// the SQLite file by default, and a watcher there woke on every page SQLite wrote (docs/PERFORMANCE.md, issue 15).
/// A real Host process whose content root (its working folder) holds the file and the database.
/// </summary>
public sealed class ConfigurationReloadTests : IDisposable
{
    private const string RequestLogCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";
    private readonly string _folder = Directory.CreateTempSubdirectory("gorgias-reload-").FullName;

    [Fact]
    public async Task TheHost_WatchesNoFolder_AndStillReloadsAppsettingsWhenItChanges()
    {
        var settings = Path.Combine(_folder, "appsettings.json");
        await File.WriteAllTextAsync(settings, $$"""{ "Logging": { "LogLevel": { "{{RequestLogCategory}}": "Warning" } } }""");
        await using var host = await HostProcess.StartAsync(_folder, HostProcess.FreePort());
        using var http = new HttpClient { BaseAddress = host.Address };

        Assert.Equal(0, InotifyWatches(host.ProcessId));
        (await http.GetAsync(new Uri("/", UriKind.Relative))).Dispose();
        Assert.DoesNotContain("Request starting", host.Output, StringComparison.Ordinal);

        // The change is read at the next poll (every 4 s): ask until a request is logged, within a bound.
        await File.WriteAllTextAsync(settings, $$"""{ "Logging": { "LogLevel": { "{{RequestLogCategory}}": "Information" } } }""");
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!host.Output.Contains("Request starting", StringComparison.Ordinal))
        {
            (await http.GetAsync(new Uri("/", UriKind.Relative), bound.Token)).Dispose();
            await Task.Delay(TimeSpan.FromMilliseconds(200), bound.Token);
        }

        Assert.Equal(0, InotifyWatches(host.ProcessId));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    // Each inotify instance of the process lists one "inotify wd:" line per watched folder in its fdinfo.
    private static int InotifyWatches(int processId) =>
        Directory.EnumerateFiles($"/proc/{processId}/fdinfo")
            .Sum(file =>
            {
                try
                {
                    return File.ReadLines(file).Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal));
                }
                catch (IOException)
                {
                    return 0; // The descriptor closed while being read.
                }
            });
}

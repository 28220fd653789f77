using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Gorgias.Integration.Testing;

/// <summary>
/// The Host as a separate operating-system process on 127.0.0.1 (sandbox on), on a database and key folder that
/// outlive it, so a test can kill it with SIGKILL and start it again on the same files. It runs the
/// <c>Gorgias.Integration.Host.dll</c> next to the running assembly: a project that starts it references the Host project.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    /// <summary>The admin API key every Host process is started with.</summary>
    public const string AdminKey = "process-only-Vb4Nq8Xz2Kw7Lr5Tm9Pc3Hj6";

    private readonly Process _process;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    private HostProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    /// <summary>http://127.0.0.1:{port}.</summary>
    public Uri Address { get; }

    /// <summary>The operating system's id of the process (for a profiler or its CPU time).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The processor time the process has used so far (user and system).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Everything the process wrote to standard output and error so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts the Host in <paramref name="folder"/> and waits until it listens on <paramref name="port"/>.</summary>
    /// <param name="folder">The working folder, holding the SQLite file and the key folder by default.</param>
    /// <param name="port">The loopback port to listen on.</param>
    /// <param name="environment">Environment variables that add to or replace the defaults.</param>
    public static async Task<HostProcess> StartAsync(string folder, int port, IReadOnlyDictionary<string, string>? environment = null)
    {
        var address = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(HostAssembly);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(address.ToString().TrimEnd('/'));
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Gorgias__Sandbox"] = "true";
        info.Environment["Gorgias__ClientId"] = "process-client";
        info.Environment["Gorgias__ClientSecret"] = "process-secret-not-real";
        info.Environment["Integration__AdminApiKey"] = AdminKey;
        info.Environment["Integration__InstallRateLimit__PermitLimit"] = "1000000"; // every simulated browser is 127.0.0.1
        info.Environment["ConnectionStrings__Integration"] = $"Data Source={Path.Combine(folder, "integration.db")}";
        info.Environment["DataProtection__KeysPath"] = Path.Combine(folder, "keys");
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var host = new HostProcess(process, address);
        process.OutputDataReceived += (_, e) => host.Observe(e.Data);
        process.ErrorDataReceived += (_, e) => host.Observe(e.Data);
        process.Exited += (_, _) => host._listening.TrySetException(new InvalidOperationException("The Host exited before listening:\n" + host.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await host._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return host;
    }

    /// <summary>SIGKILL: no shutdown, no flush, no finally blocks.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Kills the process if it still runs, and releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    /// <summary>A loopback port nobody listens on at the moment of the call.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The Host build to start: the one next to the running assembly, or the one GORGIAS_HOST_ASSEMBLY names (a
    /// benchmark comparing an earlier commit's Host with this one's).
    /// </summary>
    private static string HostAssembly
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("GORGIAS_HOST_ASSEMBLY") is { Length: > 0 } other
                ? other
                : Path.Combine(AppContext.BaseDirectory, "Gorgias.Integration.Host.dll");
            return File.Exists(path)
                ? path
                : throw new InvalidOperationException($"{path} is missing: the project starting Host processes must reference the Host project.");
        }
    }

    private void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (Listening().IsMatch(line))
        {
            _listening.TrySetResult();
        }
    }

    [GeneratedRegex("Now listening on: http://127\\.0\\.0\\.1:")]
    private static partial Regex Listening();
}

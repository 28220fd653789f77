using System.Collections.Concurrent;
using System.Diagnostics;

namespace Gorgias.Integration.Web.Tests.Packaging;

/// <summary>The built sample as its own process on 127.0.0.1, in Development with its own appsettings.</summary>
internal sealed class SampleProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SampleProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public string Output => string.Join('\n', _output);

    public static async Task<SampleProcess> StartAsync(string output, int port)
    {
        var address = new Uri($"http://127.0.0.1:{port}");
        var info = DotnetCli.Start(output, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" },
            Path.Combine(output, "SampleApp.dll"), "--urls", address.ToString().TrimEnd('/'));
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var sample = new SampleProcess(process, address);
        process.OutputDataReceived += (_, e) => sample.Observe(e.Data);
        process.ErrorDataReceived += (_, e) => sample.Observe(e.Data);
        process.Exited += (_, _) => sample._listening.TrySetException(new InvalidOperationException("The sample exited before listening:\n" + sample.Output));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await sample._listening.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return sample;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        if (line.Contains("Now listening on: http://127.0.0.1:", StringComparison.Ordinal))
        {
            _listening.TrySetResult();
        }
    }
}

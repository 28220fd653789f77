using System.Diagnostics;
using System.Text;

namespace Gorgias.Integration.Testing;

/// <summary>What a child process printed on each stream and how it exited.</summary>
public sealed record ChildRun(int ExitCode, string Output, string Error);

/// <summary>Runs a child process to its end with both streams captured, killing it (and what it started) past a limit.</summary>
public static class ChildProcess
{
    /// <summary>
    /// Starts <paramref name="info"/> (its streams are redirected here) and waits for it to end. <paramref name="limit"/>
    /// is a guard against a hung child, not a performance assertion: past it the process tree is killed and a
    /// <see cref="TimeoutException"/> carries everything printed so far.
    /// </summary>
    public static async Task<ChildRun> RunAsync(ProcessStartInfo info, TimeSpan limit)
    {
        ArgumentNullException.ThrowIfNull(info);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        using var process = new Process { StartInfo = info };
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(error, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"{info.FileName} {string.Join(' ', info.ArgumentList)} did not end within {limit}:\n{Text(output)}\n{Text(error)}");
        }

        process.WaitForExit(); // drains the redirected output
        return new ChildRun(process.ExitCode, Text(output), Text(error));
    }

    private static void Append(StringBuilder text, string? line)
    {
        if (line is not null)
        {
            lock (text)
            {
                text.AppendLine(line);
            }
        }
    }

    private static string Text(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }
}

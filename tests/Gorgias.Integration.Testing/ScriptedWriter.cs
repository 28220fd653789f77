using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Testing;

/// <summary>Writes a <see cref="ScriptedAnswer"/> the way it says, faults included.</summary>
internal static class ScriptedWriter
{
    private static readonly byte[] Spaces = CreateSpaces();

    public static async Task WriteAsync(HttpContext context, ScriptedAnswer answer, Task release)
    {
        if (answer.BodyFirst)
        {
            await WriteHeadAndBodyAsync(context, answer);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        if (answer.Hold && !await HeldAsync(release, context.RequestAborted))
        {
            return;
        }

        if (answer.Delay is { } delay)
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        if (answer.DropConnection)
        {
            context.Abort();
            return;
        }

        if (!answer.BodyFirst)
        {
            await WriteHeadAndBodyAsync(context, answer);
        }
    }

    private static async Task<bool> HeldAsync(Task release, CancellationToken aborted)
    {
        try
        {
            await release.WaitAsync(aborted);
            return true;
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as it should.
            return false;
        }
    }

    private static async Task WriteHeadAndBodyAsync(HttpContext context, ScriptedAnswer answer)
    {
        var response = context.Response;
        response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            response.Headers[name] = value;
        }

        response.ContentLength = answer.ContentLength;
        if (answer.Body is null && answer.Padding == 0)
        {
            return;
        }

        response.ContentType = answer.ContentType;
        try
        {
            await response.WriteAsync(answer.Body ?? "", context.RequestAborted);
            for (long written = 0; written < answer.Padding; written += Spaces.Length)
            {
                await response.Body.WriteAsync(Spaces.AsMemory(0, (int)Math.Min(Spaces.Length, answer.Padding - written)), context.RequestAborted);
            }
        }
        catch (Exception e) when (answer.Padding > 0 && e is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client stopped reading at its bound and hung up, as it should.
        }
    }

    private static byte[] CreateSpaces()
    {
        var spaces = new byte[64 * 1024];
        Array.Fill(spaces, (byte)' ');
        return spaces;
    }
}

namespace Gorgias.Integration.Infrastructure.Gorgias;

/// <summary>
/// Reads an answer's body with a hard cap (SECURITY.md row 38): a declared length over the cap is refused unread,
/// otherwise at most cap + 1 bytes are taken from the stream, so a 50 MB answer costs at most 1 MiB of memory.
/// </summary>
internal static class BoundedBody
{
    /// <summary>The largest body read from Gorgias.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>The body, or null when it is larger than <see cref="MaxBytes"/>.</summary>
    public static async Task<byte[]?> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[Math.Min(content.Headers.ContentLength ?? 16 * 1024, MaxBytes) + 1];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > MaxBytes)
                {
                    return null;
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxBytes + 1));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                return length == buffer.Length ? buffer : buffer.AsSpan(0, length).ToArray();
            }

            length += read;
        }
    }
}

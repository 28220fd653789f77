namespace Gorgias.Integration.Infrastructure.Gorgias;

/// <summary>What came back from Gorgias, read within bounds.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="Body">The body, or null when it was larger than the cap (and was not read further).</param>
/// <param name="RetryAfter">The <c>Retry-After</c> delay, already capped.</param>
internal sealed record GorgiasHttpResponse(int StatusCode, ReadOnlyMemory<byte>? Body, TimeSpan? RetryAfter)
{
    /// <summary>Never prints the body (it may hold tokens).</summary>
    public override string ToString() => $"GorgiasHttpResponse {{ StatusCode = {StatusCode}, BodyLength = {Body?.Length} }}";
}

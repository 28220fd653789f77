namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// Reads each answer's body into memory, at most <see cref="MaxResponseBytes"/> of it, inside the attempt's timeout.
/// Refit reads bodies as streams, where <see cref="HttpClient.MaxResponseContentBufferSize"/> does not apply; here the
/// bound holds for success and error bodies alike (SECURITY.md row 38). A larger body fails the attempt with
/// <see cref="HttpRequestError.ConfigurationLimitExceeded"/>, unread beyond the bound.
/// </summary>
internal sealed class BoundedResponseHandler : DelegatingHandler
{
    /// <summary>The largest body read from Gorgias's API.</summary>
    public const int MaxResponseBytes = BoundedBody.MaxBytes;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            var original = response.Content;
            var body = await BoundedBody.ReadAsync(original, cancellationToken)
                ?? throw new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded,
                    $"Gorgias's answer is larger than {MaxResponseBytes} bytes.", statusCode: response.StatusCode);
            var buffered = new ByteArrayContent(body);
            foreach (var (name, values) in original.Headers)
            {
                if (!string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    buffered.Headers.TryAddWithoutValidation(name, values);
                }
            }

            response.Content = buffered;
            original.Dispose();
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}

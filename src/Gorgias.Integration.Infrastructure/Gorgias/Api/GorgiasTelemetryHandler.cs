using System.Globalization;
using Gorgias.Integration.Application.Telemetry;

namespace Gorgias.Integration.Infrastructure.Gorgias.Api;

/// <summary>
/// The outermost step of the <c>GorgiasApi</c> chain: one <c>gorgias.api.call</c> span per call, around the scope
/// check, the token (and a refresh after a 401, whose span nests here), retries and rate-limit waits. It records the
/// account, the method, the path (never the query, which may carry a cursor or an e-mail address) and the status; an
/// answer of 400 or more, or an exception, marks it failed with <c>error.type</c> = the status code or the exception's type.
/// </summary>
internal sealed class GorgiasTelemetryHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = GorgiasActivity.Start(GorgiasTelemetry.Spans.ApiCall, GorgiasApiRequest.AccountOf(request));
        if (activity is null)
        {
            return await base.SendAsync(request, cancellationToken);
        }

        activity.SetTag("http.request.method", request.Method.Method);
        activity.SetTag("url.path", request.RequestUri?.AbsolutePath);
        try
        {
            var response = await base.SendAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            activity.SetTag("http.response.status_code", status);
            if (status >= 400)
            {
                activity.Fail(status.ToString(CultureInfo.InvariantCulture));
            }

            return response;
        }
        catch (Exception ex) when (activity.Fail(ex))
        {
            throw;
        }
    }
}

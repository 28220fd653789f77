using System.Buffers;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Application.Installations.ReceiveEvent;
using Gorgias.Integration.Application.Options;
using Gorgias.Integration.Domain.Installations;
using Gorgias.Integration.Web.Http;
using Mediator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gorgias.Integration.Web.Endpoints;

/// <summary>
/// The receiver of Gorgias's HTTP integrations: <c>POST /events/{account}</c>. In order: the account's rate limit (429),
/// the body's bound (413, nothing read past it), then the use case, which checks the secret header (401, nothing stored)
/// and stores the event. Only then the 200, so an event Gorgias saw accepted is in the inbox (SECURITY.md row 52).
/// </summary>
internal static class EventEndpoints
{
    public static RouteGroupBuilder MapEventEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/{account}", Receive).WithName("GorgiasReceiveEvent").DisableAntiforgery();
        return group;
    }

    /// <summary><c>POST /events/acme</c> with the secret header and the rendered form as JSON.</summary>
    public static async Task<IResult> Receive(string account, HttpContext context, ISender sender, IOptions<GorgiasEventOptions> options,
        EventRateLimiter limiter, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!AccountName.TryParse(account, out var parsed, out _))
        {
            return ErrorResults.Problem(context, new Error(ErrorKind.Validation, "account_invalid", "The account in the path is not one DNS label.") { Fields = ["account"] });
        }

        if (!limiter.TryAcquire(parsed.Value, out var retryAfter))
        {
            ErrorResults.SetRetryAfter(context, retryAfter);
            return TypedResults.Problem("Too many deliveries for this account (Gorgias:Events:RateLimitPermits); nothing was read or stored.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many deliveries", type: "urn:gorgias-integration:error:event_rate_limited");
        }

        if (context.Request.ContentLength > settings.MaxBodyBytes)
        {
            return TooLarge(settings);
        }

        var body = await ReadBoundedAsync(context.Request, settings.MaxBodyBytes, cancellationToken);
        if (body is null)
        {
            return TooLarge(settings);
        }

        // A repeated header is no secret: answered as a wrong one.
        var secrets = context.Request.Headers[settings.SecretHeader];
        var result = await sender.Send(new ReceiveEventCommand(parsed.Value, secrets.Count == 1 ? secrets[0] : null, body), cancellationToken);
        return result.IsSuccess
            ? TypedResults.Ok(new EventReceipt(result.Value.EventName, result.Value.Duplicate))
            : ErrorResults.Problem(context, result.Error);
    }

    private static IResult TooLarge(GorgiasEventOptions settings) => TypedResults.Problem(
        $"The delivery's body exceeds {settings.MaxBodyBytes} bytes (Gorgias:Events:MaxBodyBytes); nothing was stored.",
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Delivery too large", type: "urn:gorgias-integration:error:event_too_large");

    /// <summary>The body, or null as soon as it exceeds <paramref name="max"/> bytes (whatever Content-Length said).</summary>
    private static async Task<byte[]?> ReadBoundedAsync(HttpRequest request, int max, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(max + 1);
        try
        {
            var length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length, max + 1 - length), cancellationToken)) > 0)
            {
                length += read;
                if (length > max)
                {
                    return null;
                }
            }

            return buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The answer Gorgias gets: what was received, and whether it was already in the inbox.</summary>
    private sealed record EventReceipt(string Event, bool Duplicate);
}

using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Common.Results;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gorgias.Integration.Web.Http;

/// <summary>The one place where expected failures become HTTP: problem+json (RFC 9457) for the API, pages for browsers.</summary>
internal static class ErrorResults
{
    public static int StatusCodeFor(ErrorKind kind) => kind switch
    {
        ErrorKind.Validation => StatusCodes.Status400BadRequest,
        ErrorKind.InvalidState => StatusCodes.Status400BadRequest,
        ErrorKind.NotFound => StatusCodes.Status404NotFound,
        ErrorKind.Declined => StatusCodes.Status200OK,
        ErrorKind.AuthorizationFailed => StatusCodes.Status400BadRequest,
        ErrorKind.ReauthorizationRequired => StatusCodes.Status409Conflict,
        ErrorKind.Conflict => StatusCodes.Status409Conflict,
        ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
        ErrorKind.GorgiasUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.GorgiasError => StatusCodes.Status502BadGateway,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static ProblemHttpResult Problem(HttpContext context, Error error)
    {
        SetRetryAfter(context, error.RetryAfter);
        return TypedResults.Problem(
            statusCode: StatusCodeFor(error.Kind),
            title: error.Kind.ToString(),
            detail: error.Message,
            type: $"urn:gorgias-integration:error:{error.Code}",
            extensions: Extensions(error));
    }

    private static Dictionary<string, object?> Extensions(Error error)
    {
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = error.Code };
        if (error.Fields.Count > 0)
        {
            extensions["fields"] = error.Fields;
        }

        return extensions;
    }

    public static void SetRetryAfter(HttpContext context, TimeSpan? retryAfter)
    {
        if (retryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = RetryAfter.From(delay).ToHeaderValue();
        }
    }
}

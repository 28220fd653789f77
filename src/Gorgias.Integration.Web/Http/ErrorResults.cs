using FluentValidation;
using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Common;
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
        ErrorKind.GorgiasUnavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorKind.TooManyPendingAuthorizations => StatusCodes.Status503ServiceUnavailable,
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
            extensions: new Dictionary<string, object?> { ["code"] = error.Code });
    }

    public static ProblemHttpResult Problem(HttpContext context, ValidationException exception) =>
        Problem(context, Validation(exception));

    public static Error Validation(ValidationException exception) =>
        new(ErrorKind.Validation, "invalid_request", string.Join(" ", exception.Errors.Select(e => e.ErrorMessage).Distinct()));

    public static Error Validation(DomainException exception) => new(ErrorKind.Validation, "invalid_request", exception.Message);

    public static void SetRetryAfter(HttpContext context, TimeSpan? retryAfter)
    {
        if (retryAfter is { } delay)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(Math.Max(delay.TotalSeconds, 0))).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}

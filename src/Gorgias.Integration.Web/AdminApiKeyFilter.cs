using Gorgias.Integration.Application.Common.Security;
using Microsoft.AspNetCore.Http;

namespace Gorgias.Integration.Web;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;key&gt;</c>, the scheme in any case (RFC 7235), the key compared in constant
/// time. For hosts without their own authentication; an embedding app may use its own policy instead.
/// </summary>
internal sealed class AdminApiKeyFilter : IEndpointFilter
{
    private readonly byte[] _keyHash;

    /// <summary>Creates the filter for <paramref name="apiKey"/>, which must pass <see cref="AdminApiKeyStrength"/>.</summary>
    public AdminApiKeyFilter(string apiKey)
    {
        if (AdminApiKeyStrength.FindProblem(apiKey) is { } problem)
        {
            throw new ArgumentException(problem, nameof(apiKey));
        }

        _keyHash = ConstantTime.Sha256(apiKey);
    }

    /// <inheritdoc />
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var header = context.HttpContext.Request.Headers.Authorization;
        var presented = header.Count == 1 && header[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? value["Bearer ".Length..].TrimStart(' ')
            : null;

        // Hashing both sides gives equal lengths, so the comparison's time does not reveal the key's length either.
        if (!ConstantTime.MatchesSha256(presented, _keyHash))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return ValueTask.FromResult<object?>(TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: "Send the admin API key as 'Authorization: Bearer <key>'."));
        }

        return next(context);
    }
}

using Gorgias.Integration.Application.Common.Results;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>No access token can be had for an account right now; <see cref="Error"/> says why and when to retry.</summary>
public sealed class GorgiasAccessException : Exception
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public GorgiasAccessException(Error error)
        : base(error?.Message)
    {
        Error = error ?? throw new ArgumentNullException(nameof(error));
    }

    /// <summary>Creates the exception with a generic error.</summary>
    public GorgiasAccessException()
        : this(new Error(ErrorKind.GorgiasError, "no_access_token", "No access token is available."))
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public GorgiasAccessException(string message)
        : this(new Error(ErrorKind.GorgiasError, "no_access_token", message))
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public GorgiasAccessException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new Error(ErrorKind.GorgiasError, "no_access_token", message);
    }

    /// <summary>Why no token is available (NotFound, ReauthorizationRequired, GorgiasUnavailable, …).</summary>
    public Error Error { get; }
}

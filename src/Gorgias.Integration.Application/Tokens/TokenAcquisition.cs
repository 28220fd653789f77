using Gorgias.Integration.Application.Common.Results;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Application.Tokens;

/// <summary>
/// The outcome of getting an account's tokens: tokens, an error, or both when a refresh failed for a passing reason but the
/// current access token has not expired yet (it may be served; a "refresh now" still reports the error).
/// </summary>
internal sealed class TokenAcquisition
{
    private TokenAcquisition(TokenSet? tokens, Error? error)
    {
        Tokens = tokens;
        Error = error;
    }

    /// <summary>Usable tokens, when there are any.</summary>
    public TokenSet? Tokens { get; }

    /// <summary>Why the need was not met, when it was not.</summary>
    public Error? Error { get; }

    public static TokenAcquisition Success(TokenSet tokens) => new(tokens, null);

    public static TokenAcquisition Failure(Error error) => new(null, error);

    /// <summary>The refresh failed, but <paramref name="stillValid"/> has not expired and may be used meanwhile.</summary>
    public static TokenAcquisition Deferred(TokenSet? stillValid, Error error) => new(stillValid, error);
}

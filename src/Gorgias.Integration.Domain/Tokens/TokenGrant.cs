namespace Gorgias.Integration.Domain.Tokens;

/// <summary>
/// What Gorgias's token endpoint granted, after the response was checked for shape.
/// <paramref name="RefreshToken"/> is null when Gorgias sent none (as it does on refresh);
/// <paramref name="ExpiresIn"/> is null when absent (Gorgias sends 0, which means "not said").
/// </summary>
public sealed record TokenGrant(
    string AccessToken,
    string? RefreshToken,
    long? ExpiresIn,
    IReadOnlyList<string> Scopes,
    string TokenType)
{
    /// <summary>Never prints the tokens.</summary>
    public override string ToString() =>
        $"TokenGrant {{ TokenType = {TokenType}, ExpiresIn = {ExpiresIn}, Scopes = {string.Join(' ', Scopes)}, HasRefreshToken = {RefreshToken is not null} }}";
}

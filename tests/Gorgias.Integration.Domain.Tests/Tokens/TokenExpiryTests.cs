using System.Text;
using Gorgias.Integration.Domain.Tokens;

namespace Gorgias.Integration.Domain.Tests.Tokens;

public sealed class TokenExpiryTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset JwtExp = Now.AddHours(23);
    private static readonly string GorgiasAccessToken = TestJwt.WithExp(JwtExp.ToUnixTimeSeconds());

    [Theory]
    [InlineData(1)]
    [InlineData(3600)]
    [InlineData(86_400)]
    public void Row21_Compute_WhenExpiresInIsPositive_UsesItEvenIfTheTokenIsAJwt(long expiresIn)
    {
        var expiresAt = TokenExpiry.Compute(expiresIn, GorgiasAccessToken, Now);

        Assert.Equal(Now.AddSeconds(expiresIn), expiresAt);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(null)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void Row21_Compute_WhenExpiresInIsZeroAbsentOrNegative_UsesTheJwtExp(long? expiresIn)
    {
        var expiresAt = TokenExpiry.Compute(expiresIn, GorgiasAccessToken, Now);

        Assert.Equal(JwtExp, expiresAt);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(null)]
    [InlineData(-3600L)]
    public void Row21_Compute_WhenExpiresInIsNotPositiveAndTokenIsOpaque_Uses24Hours(long? expiresIn)
    {
        var expiresAt = TokenExpiry.Compute(expiresIn, "Bn8nh9P7opaque", Now);

        Assert.Equal(Now.AddHours(24), expiresAt);
        Assert.Equal(TimeSpan.FromHours(24), TokenExpiry.DefaultLifetime);
    }

    [Theory]
    [InlineData(366L * 24 * 3600 + 1)]
    [InlineData(int.MaxValue)]
    [InlineData(long.MaxValue)]
    public void Compute_WhenExpiresInIsHuge_IsClampedToMaxLifetime(long expiresIn)
    {
        var expiresAt = TokenExpiry.Compute(expiresIn, GorgiasAccessToken, Now);

        Assert.Equal(Now + TokenExpiry.MaxLifetime, expiresAt);
    }

    [Fact]
    public void Compute_WhenExpiresInIsExactlyMaxLifetime_IsNotClamped()
    {
        var seconds = (long)TokenExpiry.MaxLifetime.TotalSeconds;

        Assert.Equal(Now.AddSeconds(seconds), TokenExpiry.Compute(seconds, "opaque", Now));
    }

    [Fact]
    public void Compute_WhenJwtExpIsBeyondMaxLifetime_IsClampedToMaxLifetime()
    {
        var farFuture = TestJwt.WithExp(new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds());

        Assert.Equal(Now + TokenExpiry.MaxLifetime, TokenExpiry.Compute(0, farFuture, Now));
    }

    public static TheoryData<string, string> TokensWithoutAUsableExp => new()
    {
        { "opaque", "Bn8nh9P7opaque" },
        { "empty", string.Empty },
        { "two parts", $"{TestJwt.Encode("{}")}.{TestJwt.Encode("""{"exp":1900000000}""")}" },
        { "four parts", TestJwt.WithExp(1_900_000_000) + ".extra" },
        { "empty header", "." + TestJwt.Encode("""{"exp":1900000000}""") + ".sig" },
        { "no exp", TestJwt.WithPayload("""{"sub":"42","iat":1735732800}""") },
        { "exp is a string", TestJwt.WithPayload("""{"exp":"1900000000"}""") },
        { "exp is a fraction", TestJwt.WithPayload("""{"exp":1900000000.5}""") },
        { "exp is zero", TestJwt.WithPayload("""{"exp":0}""") },
        { "exp is negative", TestJwt.WithPayload("""{"exp":-1}""") },
        { "exp beyond year 9999", TestJwt.WithPayload("""{"exp":253402300800}""") },
        { "exp beyond Int64", TestJwt.WithPayload("""{"exp":99999999999999999999}""") },
        { "exp is null", TestJwt.WithPayload("""{"exp":null}""") },
        { "payload is an array", TestJwt.WithPayload("""[{"exp":1900000000}]""") },
        { "payload is a string", TestJwt.WithPayload("\"exp\"") },
        { "payload is a number", TestJwt.WithPayload("1900000000") },
        { "payload is empty", TestJwt.WithPayload(string.Empty) },
        { "payload is truncated JSON", TestJwt.WithPayload("""{"exp":19000""") },
        { "payload is not JSON", TestJwt.WithPayload("exp=1900000000") },
        { "payload is deeply nested", TestJwt.WithPayload(new string('[', 10_000)) },
        { "payload is not UTF-8", $"{TestJwt.Encode("{}")}.{TestJwt.Encode([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D])}.sig" },
        { "payload has invalid base64url", $"{TestJwt.Encode("{}")}.!!!$$$.sig" },
        { "payload has an impossible length", $"{TestJwt.Encode("{}")}.{TestJwt.Encode("""{"exp":1900000000}""")}A.sig" },
        { "over 16 KB", TestJwt.WithPayload($$"""{"exp":1900000000,"pad":"{{new string('x', 20 * 1024)}}"}""") },
    };

    [Theory]
    [MemberData(nameof(TokensWithoutAUsableExp))]
    public void Row21_Compute_WhenTheTokenHasNoUsableJwtExp_Uses24Hours(string why, string token)
    {
        Assert.False(TokenExpiry.TryReadJwtExpiry(token, out _), why);

        Assert.Equal(Now.AddHours(24), TokenExpiry.Compute(0, token, Now));
        Assert.Equal(Now.AddHours(24), TokenExpiry.Compute(null, token, Now));
    }

    [Fact]
    public void TryReadJwtExpiry_WhenTokenIsNull_IsFalse()
    {
        Assert.False(TokenExpiry.TryReadJwtExpiry(null, out var expiresAt));
        Assert.Equal(default, expiresAt);
    }

    [Fact]
    public void TryReadJwtExpiry_WhenTokenIsAGorgiasJwt_ReadsExp()
    {
        Assert.True(TokenExpiry.TryReadJwtExpiry(GorgiasAccessToken, out var expiresAt));
        Assert.Equal(JwtExp, expiresAt);
    }

    [Fact]
    public void TryReadJwtExpiry_WhenSignatureIsEmpty_StillReadsExp()
    {
        var unsigned = $"{TestJwt.Encode("""{"alg":"none"}""")}.{TestJwt.Encode("""{"exp":1900000000}""")}.";

        Assert.True(TokenExpiry.TryReadJwtExpiry(unsigned, out var expiresAt));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), expiresAt);
    }

    [Fact]
    public void TryReadJwtExpiry_WhenPayloadIsJustUnder16Kb_ReadsExp()
    {
        var token = TestJwt.WithPayload($$"""{"exp":1900000000,"pad":"{{new string('x', 11_000)}}"}""");

        Assert.InRange(token.Length, 14_000, 16 * 1024);
        Assert.True(TokenExpiry.TryReadJwtExpiry(token, out var expiresAt));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), expiresAt);
    }

    [Fact]
    public void TryReadJwtExpiry_WhenPayloadIsPadded_ReadsExp()
    {
        var payload = Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"exp": 1900000000}""")).Replace('+', '-').Replace('/', '_');

        Assert.EndsWith("=", payload, StringComparison.Ordinal);
        Assert.True(TokenExpiry.TryReadJwtExpiry($"{TestJwt.Encode("{}")}.{payload}.sig", out var expiresAt));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000), expiresAt);
    }

    [Fact]
    public void Row21_Compute_WhenJwtExpIsInThePast_TrustsIt()
    {
        // An already-expired token is refreshed at once rather than believed for 24 hours.
        var expired = TestJwt.WithExp(Now.AddMinutes(-5).ToUnixTimeSeconds());

        Assert.Equal(Now.AddMinutes(-5), TokenExpiry.Compute(0, expired, Now));
    }
}

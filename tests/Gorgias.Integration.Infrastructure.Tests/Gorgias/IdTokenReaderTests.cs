using System.Buffers.Text;
using System.Text;
using Gorgias.Integration.Infrastructure.Gorgias;

namespace Gorgias.Integration.Infrastructure.Tests.Gorgias;

public sealed class IdTokenReaderTests
{
    private readonly JsonWebTokenIdTokenReader _reader = new();

    [Fact]
    public void Row20_Read_ReturnsAudiencesExpiryNonceAndIssuer_WithoutCheckingTheSignature()
    {
        var token = Jwt("""{"iss":"https://acme.gorgias.com","aud":["client-id","other"],"exp":1900000000,"nonce":"n-1","sub":"7"}""");

        var claims = _reader.Read(token);

        Assert.NotNull(claims);
        Assert.Equal(["client-id", "other"], claims.Audiences);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1900000000), claims.ExpiresAt);
        Assert.Equal("n-1", claims.Nonce);
        Assert.Equal("https://acme.gorgias.com", claims.Issuer);
    }

    [Fact]
    public void Row20_Read_ReportsMissingClaimsAsNull()
    {
        var claims = _reader.Read(Jwt("""{"aud":"client-id"}"""));

        Assert.NotNull(claims);
        Assert.Equal(["client-id"], claims.Audiences);
        Assert.Null(claims.ExpiresAt);
        Assert.Null(claims.Nonce);
        Assert.Null(claims.Issuer);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-jwt")]
    [InlineData("a.b")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJub25lIn0.bm90IGpzb24.")]
    [InlineData("eyJhbGciOiJub25lIn0.W10.")]
    [InlineData("a.b.c.d.e")]
    public void Read_MalformedToken_IsNull(string token) => Assert.Null(_reader.Read(token));

    private static string Jwt(string payload) =>
        Base64Url.EncodeToString("""{"alg":"RS256","typ":"JWT"}"""u8) + "."
        + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload)) + ".c2lnbmF0dXJl";
}

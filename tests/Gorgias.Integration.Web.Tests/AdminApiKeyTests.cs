using System.Net;
using Gorgias.Integration.Web.Tests.Support;

namespace Gorgias.Integration.Web.Tests;

/// <summary>SECURITY.md row 48: the admin scheme in any case (RFC 7235), and only keys a generator made.</summary>
public sealed class AdminApiKeyTests : IDisposable
{
    private readonly IntegrationHost _host = new();

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    public async Task Row48_TheAdminKeyWithTheSchemeInAnyCase_IsAccepted(string scheme)
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"{scheme} {IntegrationHost.AdminKey}");

        using var response = await client.GetAsync(new Uri("/installations", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("bearer {0}x")]
    [InlineData("Basic {0}")]
    [InlineData("Bearer{0}")]
    [InlineData("BEARER  ")]
    public async Task Row48_AnyOtherSchemeOrAnAlteredKey_IsStill401(string format)
    {
        using var client = _host.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", string.Format(System.Globalization.CultureInfo.InvariantCulture, format, IntegrationHost.AdminKey));

        using var response = await client.GetAsync(new Uri("/installations", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    // Real outputs of openssl rand -base64 32, -hex 32 and -base64 24 (the README and the error message say to run the first).
    [InlineData("nBuv+6BkYoXFQo9MbQ7exbElxiyvjT12RTUQd9tcf1k=")]
    [InlineData("7e499c90e582efd57262589bed49a16395fce54c64b1e63979fd60705f1f8ab4")]
    [InlineData("gRXl2kgZrBudLADdbZ88LaCVq2wE/PKS")]
    public void Row48_KeysAGeneratorMade_ScoreAtLeast128Bits(string key)
    {
        Assert.True(AdminApiKeyStrength.EstimateBits(key) >= AdminApiKeyStrength.MinimumBits, $"{key}: {AdminApiKeyStrength.EstimateBits(key):0} bits");
        Assert.Null(AdminApiKeyStrength.FindProblem(key));
    }
}

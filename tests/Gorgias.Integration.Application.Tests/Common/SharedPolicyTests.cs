using System.Net.Http.Headers;
using Gorgias.Integration.Application.Common;
using Gorgias.Integration.Application.Common.Security;

namespace Gorgias.Integration.Application.Tests.Common;

/// <summary>The one Retry-After rule and the one constant-time comparison.</summary>
public sealed class SharedPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("120", 120)]
    [InlineData("0", 0)]
    [InlineData("Mon, 30 Nov 2026 12:01:30 GMT", 90)]
    [InlineData("Mon, 30 Nov 2026 11:00:00 GMT", 0)]
    public void RetryAfter_ParsesSecondsOrAnHttpDate_NeverNegative(string header, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Parse(header, Now)?.Delay);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    public void RetryAfter_WithoutAUsableHeader_IsNull(string? header)
    {
        Assert.Null(RetryAfter.Parse(header, Now));
        Assert.Null(RetryAfter.From((RetryConditionHeaderValue?)null, Now));
    }

    [Fact]
    public void RetryAfter_ClampsToItsBounds_AndFormatsWholeSecondsRoundedUp()
    {
        Assert.Equal(RetryAfter.MaxBelieved, RetryAfter.From(TimeSpan.FromHours(3)).AtMost(RetryAfter.MaxBelieved).Delay);
        Assert.Equal(TimeSpan.FromSeconds(1), RetryAfter.From(TimeSpan.FromMilliseconds(10)).Clamp(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)).Delay);
        Assert.Equal("2", RetryAfter.From(TimeSpan.FromMilliseconds(1001)).ToHeaderValue());
        Assert.Equal("0", RetryAfter.From(TimeSpan.FromSeconds(-5)).ToHeaderValue());
    }

    [Theory]
    [InlineData("secret", "secret", true)]
    [InlineData("secret", "secreT", false)]
    [InlineData("secret", "secret2", false)]
    [InlineData(null, "secret", false)]
    [InlineData("secret", null, false)]
    [InlineData(null, null, false)]
    public void ConstantTime_AreEqual_OnlyForTwoEqualPresentValues(string? left, string? right, bool equal)
    {
        Assert.Equal(equal, ConstantTime.AreEqual(left, right));
    }

    [Fact]
    public void ConstantTime_MatchesSha256_ComparesThePresentedValuesHash()
    {
        var hash = ConstantTime.Sha256("the-key");

        Assert.True(ConstantTime.MatchesSha256("the-key", hash));
        Assert.False(ConstantTime.MatchesSha256("the-kez", hash));
        Assert.False(ConstantTime.MatchesSha256(null, hash));
    }
}

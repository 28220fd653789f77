using Gorgias.Integration.Host.Admin;

namespace Gorgias.Integration.Web.Tests;

/// <summary>How the operator's page writes times: relative, at most two units, truncated, with the UTC time as the title.</summary>
public sealed class AdminHtmlTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "now")]
    [InlineData(42, "in 42 s")]
    [InlineData(-42, "42 s ago")]
    [InlineData(12 * 60 + 59, "in 12 min")]
    [InlineData(86_400 - 1, "in 23 h 59 min")]
    [InlineData(86_400, "in 24 h")]
    [InlineData(-5 * 3600, "5 h ago")]
    [InlineData(3 * 86_400 + 4 * 3600 + 59, "in 3 d 4 h")]
    public void When_IsRelativeToNow_InAtMostTwoUnits(int seconds, string expected)
    {
        var html = AdminHtml.When(Now.AddSeconds(seconds), Now);

        Assert.EndsWith($">{expected}</time>", html, StringComparison.Ordinal);
        Assert.Contains($"title=\"{Now.AddSeconds(seconds).UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void When_WithoutATime_IsADash() => Assert.Equal("—", AdminHtml.When(null, Now));
}

using System.Diagnostics;
using System.Globalization;
using Gorgias.Integration.Domain.Common;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Domain.Tests.Installations;

public sealed class AccountNameTests
{
    private const string OnlyLabelCharacters = "may contain only the letters a-z, digits and '-'";

    public static TheoryData<string> ValidLabels => new()
    {
        "a",
        "acme",
        "a-b",
        "a--b",
        "acme-support-2",
        "0",
        "123",
        "9acme",
        new string('a', AccountName.MaxLength),
        "a" + new string('-', AccountName.MaxLength - 2) + "z",
    };

    [Theory]
    [MemberData(nameof(ValidLabels))]
    public void Row3_Parse_WhenValueIsOneDnsLabel_IsAccepted(string value)
    {
        var account = AccountName.Parse(value);

        Assert.Equal(value, account.Value);
        Assert.Equal(value, account.ToString());
    }

    [Fact]
    public void Row1_Parse_WhenValueIsAcme_GivesThePlainLabel()
    {
        Assert.Equal("acme", AccountName.Parse("acme").Value);
    }

    [Theory]
    [InlineData("ACME", "acme")]
    [InlineData("Acme-Support", "acme-support")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")]
    public void Row2_Parse_WhenValueHasUpperCase_IsLowerCased(string value, string expected)
    {
        Assert.Equal(expected, AccountName.Parse(value).Value);
    }

    [Fact]
    public void Row2_Parse_WhenCurrentCultureIsTurkish_LowerCasesWithTheInvariantCulture()
    {
        var culture = CultureInfo.CurrentCulture;
        var uiCulture = CultureInfo.CurrentUICulture;
        try
        {
            var turkish = CultureInfo.GetCultureInfo("tr-TR");
            CultureInfo.CurrentCulture = turkish;
            CultureInfo.CurrentUICulture = turkish;

            // Proves the culture is really Turkish here: culture-sensitive lower-casing gives a dotless ı.
            Assert.Equal("acmeı", "ACMEI".ToLower(CultureInfo.CurrentCulture));

            Assert.Equal("acmei", AccountName.Parse("ACMEI").Value);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
            CultureInfo.CurrentUICulture = uiCulture;
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Row3_Parse_WhenValueIsMissing_IsRejectedAsMissing(string? value)
    {
        var exception = Assert.Throws<DomainException>(() => AccountName.Parse(value));

        Assert.Contains("missing", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("   ")]
    [InlineData("\t")]
    [InlineData(" acme")]
    [InlineData("acme ")]
    [InlineData("ac me")]
    public void Row3_Parse_WhenValueHasWhitespace_IsRejected(string value)
    {
        var exception = Assert.Throws<DomainException>(() => AccountName.Parse(value));

        Assert.Contains(OnlyLabelCharacters, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Row3_Parse_WhenValueIsLongerThan63Characters_IsRejectedWithItsLength()
    {
        var exception = Assert.Throws<DomainException>(() => AccountName.Parse(new string('a', 64)));

        Assert.Contains("64 characters long", exception.Message, StringComparison.Ordinal);
        Assert.Contains("at most 63", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Row3_Parse_WhenValueIs100000Characters_IsRejectedOnLengthBeforeLookingAtCharacters()
    {
        // Every character is forbidden too: a length message proves length is checked first.
        var huge = new string('.', 100_000);

        var stopwatch = Stopwatch.StartNew();
        var exception = Assert.Throws<DomainException>(() => AccountName.Parse(huge));
        stopwatch.Stop();

        Assert.Contains("100000 characters long", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'.'", exception.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(1), $"Took {stopwatch.Elapsed}.");
    }

    [Theory]
    [InlineData("acme.evil.com", "'.'")]
    [InlineData("acme.", "'.'")]
    [InlineData(".acme", "'.'")]
    [InlineData("evil.com@acme", "'.'")]
    [InlineData("user@acme", "'@'")]
    [InlineData("acme:443", "':'")]
    [InlineData("acme/evil", "'/'")]
    [InlineData("acme\\evil", "'\\'")]
    [InlineData("acme#x", "'#'")]
    [InlineData("acme?x=1", "'?'")]
    [InlineData("acme%2eevil", "'%'")]
    [InlineData("%2e%2e", "'%'")]
    [InlineData("acme%00", "'%'")]
    [InlineData("acme_support", "'_'")]
    [InlineData("127.0.0.1", "'.'")]
    [InlineData("[::1]", "'['")]
    [InlineData("::1", "':'")]
    [InlineData("acme evil", "' '")]
    [InlineData("acme\0", "U+0000")]
    [InlineData("acme\nX-Injected: 1", "U+000A")]
    [InlineData("acme\r", "U+000D")]
    [InlineData("acme\t", "U+0009")]
    [InlineData("acme\u007F", "U+007F")]
    public void Row3_Parse_WhenValueHasAForbiddenCharacter_IsRejectedNamingIt(string value, string named)
    {
        var exception = Assert.Throws<DomainException>(() => AccountName.Parse(value));

        Assert.Contains(OnlyLabelCharacters, exception.Message, StringComparison.Ordinal);
        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u0430cme", "U+0430")] // Cyrillic а
    [InlineData("\uFF41cme", "U+FF41")] // fullwidth ａ
    [InlineData("\u212Acme", "U+212A")] // Kelvin sign, lower-cases to k
    [InlineData("acme\u0131", "U+0131")] // dotless ı
    [InlineData("\u0130acme", "U+0130")] // İ, lower-cases to i + combining dot
    [InlineData("acm\u00E9", "U+00E9")] // é
    [InlineData("acme\u200B", "U+200B")] // zero-width space
    [InlineData("acme\u00A0", "U+00A0")] // no-break space
    [InlineData("xn--80ak6aa92e", null)] // punycode is a label like any other: accepted, never decoded
    public void Row3_Parse_WhenValueHasANonAsciiLookAlike_IsRejectedNotNormalised(string value, string? named)
    {
        if (named is null)
        {
            Assert.Equal(value, AccountName.Parse(value).Value);
            return;
        }

        var exception = Assert.Throws<DomainException>(() => AccountName.Parse(value));

        Assert.Contains(OnlyLabelCharacters, exception.Message, StringComparison.Ordinal);
        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Row3_Parse_WhenControlCharacterIsRejected_MessageDoesNotEchoIt()
    {
        var exception = Assert.Throws<DomainException>(() => AccountName.Parse("acme\nX-Injected: 1"));

        Assert.DoesNotContain('\n', exception.Message);
        Assert.DoesNotContain("X-Injected", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-acme")]
    [InlineData("acme-")]
    [InlineData("-")]
    [InlineData("--")]
    public void Row3_Parse_WhenValueStartsOrEndsWithHyphen_IsRejected(string value)
    {
        var exception = Assert.Throws<DomainException>(() => AccountName.Parse(value));

        Assert.Contains("may not start or end with '-'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenValueIsValid_ReturnsTheAccountAndNoError()
    {
        var ok = AccountName.TryParse("Acme", out var account, out var error);

        Assert.True(ok);
        Assert.Equal("acme", account?.Value);
        Assert.Null(error);
    }

    [Theory]
    [InlineData(null, "missing")]
    [InlineData("acme.evil.com", "'.'")]
    [InlineData("-acme", "'-'")]
    public void TryParse_WhenValueIsInvalid_ReturnsFalseWithTheReason(string? value, string reason)
    {
        var ok = AccountName.TryParse(value, out var account, out var error);

        Assert.False(ok);
        Assert.Null(account);
        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenValueIsInvalid_GivesTheSameReasonParseThrows()
    {
        AccountName.TryParse("a/b", out _, out var error);

        var exception = Assert.Throws<DomainException>(() => AccountName.Parse("a/b"));

        Assert.Equal(error, exception.Message);
    }

    [Fact]
    public void Equals_WhenLabelsAreEqualAfterLowerCasing_IsTrueWithTheSameHashCode()
    {
        var lower = AccountName.Parse("acme");
        var upper = AccountName.Parse("ACME");

        Assert.NotSame(lower, upper);
        Assert.Equal(lower, upper);
        Assert.True(lower.Equals((object)upper));
        Assert.True(lower == upper);
        Assert.False(lower != upper);
        Assert.Equal(lower.GetHashCode(), upper.GetHashCode());
    }

    [Fact]
    public void Equals_WhenLabelsDiffer_IsFalse()
    {
        var acme = AccountName.Parse("acme");
        var other = AccountName.Parse("acme2");

        Assert.NotEqual(acme, other);
        Assert.False(acme == other);
        Assert.True(acme != other);
        Assert.False(acme.Equals(null));
        Assert.False(acme.Equals("acme"));
    }

    [Fact]
    public void EqualityOperators_WhenEitherSideIsNull_AreNullSafe()
    {
        AccountName? none = null;
        var acme = AccountName.Parse("acme");

        Assert.True(none == null);
        Assert.False(acme == none);
        Assert.False(none == acme);
        Assert.True(acme != none);
    }

    [Fact]
    public void AccountName_AsDictionaryKey_FindsAnEqualValue()
    {
        var set = new HashSet<AccountName> { AccountName.Parse("acme") };

        Assert.Contains(AccountName.Parse("ACME"), set);
        Assert.DoesNotContain(AccountName.Parse("other"), set);
    }
}

using System.Diagnostics.CodeAnalysis;
using Gorgias.Integration.Domain.Common;

namespace Gorgias.Integration.Domain.Installations;

/// <summary>
/// A Gorgias account's subdomain (the <c>acme</c> of <c>acme.gorgias.com</c>): exactly one DNS label
/// (RFC 1123), lower case. It is the only way an account string becomes part of a URL, so anything that is
/// not a plain label is rejected with a reason, never "fixed".
/// </summary>
public sealed class AccountName : IEquatable<AccountName>
{
    /// <summary>The longest label DNS allows.</summary>
    public const int MaxLength = 63;

    // Every cache keyed by account (tokens, scopes, backoff) hashes the key on each lookup: computed once here, that is
    // a field read instead of hashing the string each time.
    private readonly int _hash;

    private AccountName(string value)
    {
        Value = value;
        _hash = StringComparer.Ordinal.GetHashCode(value);
    }

    /// <summary>The lower-case label, safe to place in a host name.</summary>
    public string Value { get; }

    /// <summary>Parses <paramref name="value"/> or throws a <see cref="DomainException"/> that says what is wrong.</summary>
    public static AccountName Parse(string? value)
    {
        if (!TryParse(value, out var account, out var error))
        {
            throw new DomainException(error);
        }

        return account;
    }

    /// <summary>Parses <paramref name="value"/>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(
        string? value,
        [NotNullWhen(true)] out AccountName? account,
        [NotNullWhen(false)] out string? error)
    {
        account = null;
        error = Validate(value);
        if (error is not null)
        {
            return false;
        }

        // Validation admitted only ASCII letters, digits and '-', so invariant lower-casing cannot change
        // anything but the case of A-Z (no Turkish dotless i, no Kelvin sign).
        account = new AccountName(value!.ToLowerInvariant());
        return true;
    }

    private static string? Validate(string? value)
    {
        // Length first: nothing below runs on an unbounded string.
        if (string.IsNullOrEmpty(value))
        {
            return "The Gorgias account is missing: give the subdomain, e.g. 'acme' for acme.gorgias.com.";
        }

        if (value.Length > MaxLength)
        {
            return $"The Gorgias account is {value.Length} characters long; a subdomain has at most {MaxLength}.";
        }

        foreach (var c in value)
        {
            if (!IsLabelCharacter(c))
            {
                return $"The Gorgias account may contain only the letters a-z, digits and '-'; it contains {Describe(c)}.";
            }
        }

        if (value[0] == '-' || value[^1] == '-')
        {
            return "The Gorgias account may not start or end with '-'.";
        }

        return null;
    }

    private static bool IsLabelCharacter(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-';

    private static string Describe(char c) =>
        c is >= ' ' and <= '~' ? $"'{c}'" : $"the character U+{(int)c:X4}";

    /// <inheritdoc />
    public bool Equals(AccountName? other) =>
        ReferenceEquals(this, other) || (other is not null && _hash == other._hash && string.Equals(Value, other.Value, StringComparison.Ordinal));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as AccountName);

    /// <inheritdoc />
    public override int GetHashCode() => _hash;

    /// <summary>The label itself.</summary>
    public override string ToString() => Value;

    /// <summary>Value equality.</summary>
    public static bool operator ==(AccountName? left, AccountName? right) => Equals(left, right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(AccountName? left, AccountName? right) => !Equals(left, right);
}

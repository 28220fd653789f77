using System.Security.Cryptography;
using System.Text;

namespace Gorgias.Integration.Application.Common.Security;

/// <summary>
/// The one way this library compares a secret with a presented value: in time that does not depend on where they
/// differ. (The Sandbox, which must reference nothing of the library, keeps its own copy.)
/// </summary>
internal static class ConstantTime
{
    /// <summary>
    /// True when both are present and equal. The time may show the lengths; when the length is itself secret, compare
    /// hashes with <see cref="MatchesSha256"/>.
    /// </summary>
    public static bool AreEqual(string? left, string? right) =>
        left is not null && right is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));

    /// <summary>True when both byte sequences are equal; the time may show the lengths, never where they differ.</summary>
    public static bool AreEqual(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => CryptographicOperations.FixedTimeEquals(left, right);

    /// <summary>
    /// True when <paramref name="presented"/> hashes to <paramref name="expectedSha256"/>: both sides have the same
    /// length, so the time reveals neither the secret's content nor its length.
    /// </summary>
    public static bool MatchesSha256(string? presented, ReadOnlySpan<byte> expectedSha256) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Sha256(presented), expectedSha256);

    /// <summary>The SHA-256 of <paramref name="value"/>'s UTF-8 bytes, to keep instead of a secret.</summary>
    public static byte[] Sha256(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));
}

using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Gorgias.Integration.Application.Abstractions;
using Gorgias.Integration.Domain.Authorization;
using Gorgias.Integration.Domain.Installations;

namespace Gorgias.Integration.Infrastructure.Secrets;

/// <summary>
/// The <c>state</c> sent to Gorgias: the pending authorization's times, id, nonce, PKCE verifier and browser binding in a
/// small binary payload, protected with Data Protection (AES-256-GCM) for the purpose (<see
/// cref="SecretProtector.AuthorizationStatePurpose"/>, account, <c>state</c>), then base64url: ~320 characters.
/// </summary>
/// <remarks>
/// <para>Payload: version (1 byte), created and expires (unix ms, 8 bytes each, big-endian), then id, nonce, verifier and
/// binding, each as kind (0 absent, 1 UTF-8, 2 the bytes a canonical base64url text decodes to), length (2 bytes) and
/// bytes. The random values and the binding are base64url, so they travel as their 32 bytes, not their 43 characters:
/// every byte of the state is written into the authorize URL, its Location header and the browser's history.</para>
/// <para>Every replica opens what another issued, as it opens the tokens another stored: they share the key ring. A key
/// that leaves the ring invalidates the installs in flight under it (ten minutes at most), never a stored token.</para>
/// </remarks>
internal sealed class AuthorizationStateProtector(SecretProtector protector) : IAuthorizationStateProtector
{
    private const string Field = "state";
    private const byte Version = 1;
    private const int HeaderLength = 1 + 8 + 8;
    private const byte Absent = 0, Utf8 = 1, Base64UrlBytes = 2;

    // Longer base64url texts travel as UTF-8: the canonical check re-encodes on the stack.
    private const int MaxBase64UrlChars = 512;

    /// <inheritdoc />
    public string Protect(AuthorizationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bound = HeaderLength + MaxFieldLength(request.State) + MaxFieldLength(request.Nonce) + MaxFieldLength(request.CodeVerifier)
            + MaxFieldLength(request.BrowserBinding);
        var rented = ArrayPool<byte>.Shared.Rent(bound);
        try
        {
            var buffer = rented.AsSpan(0, bound);
            buffer[0] = Version;
            BinaryPrimitives.WriteInt64BigEndian(buffer[1..], request.CreatedAt.ToUnixTimeMilliseconds());
            BinaryPrimitives.WriteInt64BigEndian(buffer[9..], request.ExpiresAt.ToUnixTimeMilliseconds());
            var length = HeaderLength;
            length += WriteField(request.State, buffer[length..]);
            length += WriteField(request.Nonce, buffer[length..]);
            length += WriteField(request.CodeVerifier, buffer[length..]);
            length += WriteField(request.BrowserBinding, buffer[length..]);
            var plaintext = buffer[..length].ToArray();
            try
            {
                return Base64Url.EncodeToString(protector.Protect(SecretProtector.AuthorizationStatePurpose, request.Account, Field, plaintext));
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plaintext);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rented.AsSpan(0, bound));
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    public AuthorizationRequest? Unprotect(string state, AccountName account, string redirectUri)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(account);
        if (state.Length > AuthorizationRequest.MaxStateLength || !Base64Url.IsValid(state, out var length))
        {
            return null;
        }

        var ciphertext = new byte[length];
        if (Base64Url.DecodeFromChars(state, ciphertext) != length
            || protector.TryUnprotect(SecretProtector.AuthorizationStatePurpose, account, Field, ciphertext) is not { } payload)
        {
            return null;
        }

        try
        {
            return Read(payload, account, redirectUri);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(payload);
        }
    }

    // Authenticated, so written by Protect above; a payload of another shape would be a future version's.
    private static AuthorizationRequest? Read(ReadOnlySpan<byte> payload, AccountName account, string redirectUri)
    {
        if (payload.Length < HeaderLength || payload[0] != Version)
        {
            return null;
        }

        var createdAt = BinaryPrimitives.ReadInt64BigEndian(payload[1..]);
        var expiresAt = BinaryPrimitives.ReadInt64BigEndian(payload[9..]);
        var rest = payload[HeaderLength..];
        if (!TryReadField(ref rest, out var id) || id is null || !TryReadField(ref rest, out var nonce) || nonce is null
            || !TryReadField(ref rest, out var verifier) || !TryReadField(ref rest, out var binding) || binding is null || !rest.IsEmpty)
        {
            return null;
        }

        return AuthorizationRequest.Restore(id, account, nonce, verifier, redirectUri, binding,
            DateTimeOffset.FromUnixTimeMilliseconds(createdAt), DateTimeOffset.FromUnixTimeMilliseconds(expiresAt));
    }

    private static int MaxFieldLength(string? value) => value is null ? 1 : 3 + Encoding.UTF8.GetMaxByteCount(value.Length);

    private static int WriteField(string? value, Span<byte> destination)
    {
        if (value is null)
        {
            destination[0] = Absent;
            return 1;
        }

        var bytes = destination[3..];
        int written;
        if (IsCanonicalBase64Url(value, bytes, out written))
        {
            destination[0] = Base64UrlBytes;
        }
        else
        {
            destination[0] = Utf8;
            written = Encoding.UTF8.GetBytes(value, bytes);
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], checked((ushort)written));
        return 3 + written;
    }

    private static bool IsCanonicalBase64Url(string value, Span<byte> destination, out int written)
    {
        written = 0;
        if (value.Length is 0 or > MaxBase64UrlChars || !Base64Url.IsValid(value, out var length) || length > destination.Length)
        {
            return false;
        }

        // Decoding ignores white space and the unused bits of the last character: only a text that encodes back to itself travels as bytes.
        written = Base64Url.DecodeFromChars(value, destination);
        Span<char> again = stackalloc char[MaxBase64UrlChars];
        return Base64Url.TryEncodeToChars(destination[..written], again, out var chars) && again[..chars].SequenceEqual(value);
    }

    private static bool TryReadField(ref ReadOnlySpan<byte> rest, out string? value)
    {
        value = null;
        if (rest.IsEmpty)
        {
            return false;
        }

        if (rest[0] == Absent)
        {
            rest = rest[1..];
            return true;
        }

        if (rest.Length < 3 || rest[0] is not (Utf8 or Base64UrlBytes))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(rest[1..]);
        if (rest.Length < 3 + length)
        {
            return false;
        }

        var bytes = rest.Slice(3, length);
        value = rest[0] == Utf8 ? Encoding.UTF8.GetString(bytes) : Base64Url.EncodeToString(bytes);
        rest = rest[(3 + length)..];
        return true;
    }
}

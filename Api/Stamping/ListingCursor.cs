using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Api.Stamping;

/// <summary>
/// The opaque <c>cursor</c> of a namespace listing: a version, the position (created_at ticks and
/// stamp id) and a check value, base64url-encoded. The check is not a secret; it only tells a
/// cursor of ours from a mistyped or invented one, which is refused with 400.
/// </summary>
public static class ListingCursor
{
    const byte Version = 1;
    const int Length = 1 + 8 + 16 + 4;
    static readonly byte[] Domain = Encoding.ASCII.GetBytes("omnibridge.listing-cursor.v1");

    public static string Encode(StampCursor cursor)
    {
        var bytes = new byte[Length];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(1), cursor.CreatedAt.Ticks);
        cursor.StampId.TryWriteBytes(bytes.AsSpan(9), bigEndian: true, out _);
        Check(bytes.AsSpan(0, Length - 4)).CopyTo(bytes.AsSpan(Length - 4));
        return WebEncoders.Base64UrlEncode(bytes);
    }

    public static bool TryDecode(string text, out StampCursor? cursor)
    {
        cursor = null;
        if (text.Length is 0 or > 64) return false;
        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(text);
        }
        catch (FormatException)
        {
            return false;
        }
        if (bytes.Length != Length || bytes[0] != Version || !Check(bytes.AsSpan(0, Length - 4)).AsSpan().SequenceEqual(bytes.AsSpan(Length - 4))) return false;
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(1));
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks) return false;
        cursor = new StampCursor { CreatedAt = new DateTime(ticks, DateTimeKind.Utc), StampId = new Guid(bytes.AsSpan(9, 16), bigEndian: true) };
        return true;
    }

    static byte[] Check(ReadOnlySpan<byte> payload)
    {
        Span<byte> digest = stackalloc byte[32];
        var input = new byte[Domain.Length + payload.Length];
        Domain.CopyTo(input, 0);
        payload.CopyTo(input.AsSpan(Domain.Length));
        SHA256.HashData(input, digest);
        return digest[..4].ToArray();
    }
}

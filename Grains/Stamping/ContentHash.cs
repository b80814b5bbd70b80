using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Blake3;

namespace OmniBridge.Grains.Stamping;

/// <summary>BLAKE3-256 of bytes or of the UTF-8 form of text, as 64 lowercase hex characters (docs/protocol.md, "Hashes").</summary>
public static class ContentHash
{
    // Large text is encoded to UTF-8 a block at a time, so hashing a 100 MiB string never
    // allocates a second 100 MiB buffer.
    const int EncodeBlockChars = 256 * 1024;

    public static string Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[32];
        Hasher.Hash(bytes, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>The hash of the UTF-8 encoding of <paramref name="text"/>.</summary>
    public static string OfUtf8(ReadOnlySpan<char> text)
    {
        if (text.Length <= EncodeBlockChars)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
            try
            {
                var length = Encoding.UTF8.GetBytes(text, buffer);
                return Of(buffer.AsSpan(0, length));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        using var hasher = Hasher.New();
        var encoder = Encoding.UTF8.GetEncoder();
        var block = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(EncodeBlockChars));
        try
        {
            while (!text.IsEmpty)
            {
                var take = Math.Min(EncodeBlockChars, text.Length);
                encoder.Convert(text[..take], block, flush: take == text.Length, out var charsUsed, out var bytesUsed, out _);
                hasher.Update(block.AsSpan(0, bytesUsed));
                text = text[charsUsed..];
            }
            return Finish(hasher);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    /// <summary>SHA-256 of the same bytes, for the record's <c>sha256</c> (docs/transparency.md, "Records").</summary>
    public static string Sha256Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>SHA-256 of the UTF-8 encoding of <paramref name="text"/>, a block at a time like <see cref="OfUtf8"/>.</summary>
    public static string Sha256OfUtf8(ReadOnlySpan<char> text)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var encoder = Encoding.UTF8.GetEncoder();
        var block = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(Math.Min(EncodeBlockChars, Math.Max(text.Length, 1))));
        try
        {
            do
            {
                var take = Math.Min(EncodeBlockChars, text.Length);
                encoder.Convert(text[..take], block, flush: take == text.Length, out var charsUsed, out var bytesUsed, out _);
                hash.AppendData(block.AsSpan(0, bytesUsed));
                text = text[charsUsed..];
            }
            while (!text.IsEmpty);
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    /// <summary>The hex digest of what <paramref name="hasher"/> has taken in.</summary>
    public static string Finish(Hasher hasher)
    {
        Span<byte> digest = stackalloc byte[32];
        hasher.Finalize(digest);
        return Convert.ToHexStringLower(digest);
    }
}

using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using Blake3;

namespace OmniBridge.Api.Hashing;

/// <summary>
/// BLAKE3 of a stream read in 1 MiB blocks: memory stays at one block whatever the size, and
/// hashing whole blocks is faster than hashing the server's small network segments as they come.
/// </summary>
/// <remarks>
/// /hash hashes in the API process rather than in a grain: moving a gigabyte through grain calls
/// would buy nothing but copies, and the hash is the same pure function either way.
/// </remarks>
public static class StreamHasher
{
    public const int BlockSize = 1 << 20;

    /// <param name="withSha256">Also the SHA-256 of the same bytes, in the same pass (what a record carries).</param>
    public static async Task<StreamHash> HashAsync(Stream stream, CancellationToken cancellationToken, bool withSha256 = false)
    {
        var block = ArrayPool<byte>.Shared.Rent(BlockSize);
        try
        {
            using var hasher = Hasher.New();
            using var sha256 = withSha256 ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
            long length = 0, hashing = 0;
            int read;
            do
            {
                read = await stream.ReadAtLeastAsync(block.AsMemory(0, BlockSize), BlockSize, throwOnEndOfStream: false, cancellationToken);
                var started = Stopwatch.GetTimestamp();
                hasher.Update(block.AsSpan(0, read));
                hashing += Stopwatch.GetTimestamp() - started;
                sha256?.AppendData(block.AsSpan(0, read));
                length += read;
            }
            while (read == BlockSize);
            return new StreamHash(Digest(hasher), length, Stopwatch.GetElapsedTime(0, hashing).TotalMilliseconds)
            {
                Sha256 = sha256 is null ? null : Convert.ToHexStringLower(sha256.GetHashAndReset()),
            };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    /// <summary>The hash of bytes already in memory.</summary>
    public static StreamHash Hash(ReadOnlySpan<byte> bytes)
    {
        var started = Stopwatch.GetTimestamp();
        Span<byte> digest = stackalloc byte[32];
        Hasher.Hash(bytes, digest);
        return new StreamHash(Convert.ToHexStringLower(digest), bytes.Length, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    static string Digest(Hasher hasher)
    {
        Span<byte> digest = stackalloc byte[32];
        hasher.Finalize(digest);
        return Convert.ToHexStringLower(digest);
    }
}

/// <summary>A digest, the number of bytes it covers, and the time spent hashing them (BLAKE3 alone).</summary>
public readonly record struct StreamHash(string FileHash, long Length, double HashTimeMs)
{
    /// <summary>SHA-256 of the same bytes, when it was asked for.</summary>
    public string? Sha256 { get; init; }
}

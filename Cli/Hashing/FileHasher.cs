using System.Buffers;
using System.Security.Cryptography;
using Blake3;

namespace OmniBridge.Cli.Hashing;

/// <summary>
/// BLAKE3 (and, for manifests, SHA-256) of files, reading with bounded memory: at most two blocks of
/// <see cref="BlockSize"/> (the one hashed and the one read meanwhile), whatever the file's size. A
/// block of a large file is hashed on every core (the Blake3 library's joined update splits it into
/// subtrees), which is what makes a large file hash faster than one core can.
/// </summary>
public static class FileHasher
{
    /// <summary>
    /// 4 MiB: the joined update splits it into a subtree per core, and the block being read and the block being hashed
    /// stay in the processor's cache together (16 MiB blocks took about a tenth longer: bench/README.md, "The command-line client").
    /// </summary>
    public const int BlockSize = 4 << 20;

    /// <summary>Files at least this large are hashed on several threads.</summary>
    public const int ParallelFrom = 1 << 20;

    /// <summary>The BLAKE3 of everything <paramref name="stream"/> holds, and its length.</summary>
    public static (string Blake3, long Size) Blake3Of(Stream stream)
    {
        using var hasher = Hasher.New();
        var size = Read(stream, block => hasher.UpdateWithJoin(block.Span), block => hasher.Update(block.Span));
        return (Finish(hasher), size);
    }

    /// <summary>The BLAKE3 of the file at <paramref name="path"/>.</summary>
    public static (string Blake3, long Size) Blake3Of(string path)
    {
        using var file = Open(path);
        return Blake3Of(file);
    }

    /// <summary>
    /// BLAKE3 and SHA-256 of the file in one pass: for a large file the two run side by side on
    /// each block, so the pair costs about what SHA-256 alone does.
    /// </summary>
    public static FileDigest DigestOf(string path)
    {
        using var file = Open(path);
        using var blake3 = Hasher.New();
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var size = Read(file,
            block =>
            {
                // SHA-256 has no parallel form, so the two hashes share the cores instead.
                Parallel.Invoke(() => blake3.Update(block.Span), () => sha256.AppendData(block.Span));
            },
            block =>
            {
                blake3.Update(block.Span);
                sha256.AppendData(block.Span);
            });
        return new FileDigest(Finish(blake3), Convert.ToHexStringLower(sha256.GetHashAndReset()), size);
    }

    /// <summary>Both digests of bytes already in memory.</summary>
    public static FileDigest DigestOf(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[32];
        Hasher.Hash(bytes, digest);
        var blake3 = Convert.ToHexStringLower(digest);
        SHA256.HashData(bytes, digest);
        return new FileDigest(blake3, Convert.ToHexStringLower(digest), bytes.Length);
    }

    /// <summary>The BLAKE3 of bytes in memory.</summary>
    public static string Blake3Of(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[32];
        Hasher.Hash(bytes, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>
    /// The bytes of a small file whose size the walk saw: one open, one read of a buffer a byte larger than that size
    /// (so the end shows in the same read), one close; <see cref="File.ReadAllBytes"/> also asks the size again and reads
    /// once more to find the end. A file that grew meanwhile is read to its end all the same.
    /// </summary>
    public static byte[] ReadSmall(string path, long expectedSize)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        var buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(Array.MaxLength, expectedSize + 1));
        var length = 0;
        while (true)
        {
            var wanted = buffer.Length - length;
            var read = RandomAccess.Read(handle, buffer.AsSpan(length), length);
            length += read;
            if (read < wanted) break; // a regular file reads short only at its end
            Array.Resize(ref buffer, (int)Math.Min(Array.MaxLength, buffer.Length * 2L));
        }
        return buffer[..length];
    }

    /// <summary>Opened for one sequential read, without the stream's own buffer (the blocks are large).</summary>
    public static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);

    /// <summary>
    /// Feeds the stream to <paramref name="large"/> block by block, or to <paramref name="small"/> when it fits in one
    /// small read. While a block is hashed the next one is read on another thread (two blocks in memory): reading a
    /// file from the page cache costs about as much CPU as hashing it on every core, so done one after the other the
    /// cores would wait for the copy (bench/README.md, "The command-line client").
    /// </summary>
    static long Read(Stream stream, Action<ReadOnlyMemory<byte>> large, Action<ReadOnlyMemory<byte>> small)
    {
        var block = ArrayPool<byte>.Shared.Rent(BlockSize);
        byte[]? next = null;
        Task<int>? reading = null;
        try
        {
            long size = 0;
            var read = Fill(stream, block);
            while (true)
            {
                // Only a full block can have more after it; a file smaller than a block never takes a second one.
                if (read == BlockSize)
                {
                    var spare = next ??= ArrayPool<byte>.Shared.Rent(BlockSize);
                    reading = Task.Run(() => Fill(stream, spare));
                }
                (read >= ParallelFrom ? large : small)(block.AsMemory(0, read));
                size += read;
                if (reading is null) return size;
                read = reading.GetAwaiter().GetResult();
                reading = null;
                (block, next) = (next!, block);
            }
        }
        finally
        {
            // A hash that failed while the next block was being read: the read finishes before its buffer goes back.
            ((Task?)reading)?.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing).GetAwaiter().GetResult();
            ArrayPool<byte>.Shared.Return(block);
            if (next is not null) ArrayPool<byte>.Shared.Return(next);
        }
    }

    static int Fill(Stream stream, byte[] block) => stream.ReadAtLeast(block.AsSpan(0, BlockSize), BlockSize, throwOnEndOfStream: false);

    static string Finish(Hasher hasher)
    {
        Span<byte> digest = stackalloc byte[32];
        hasher.Finalize(digest);
        return Convert.ToHexStringLower(digest);
    }
}

/// <summary>What a manifest records of a file's bytes.</summary>
public readonly record struct FileDigest(string Blake3, string Sha256, long Size);

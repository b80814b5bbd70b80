using System.Security.Cryptography;
using OmniBridge.Cli.Hashing;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// The tool's hash of a large file (docs/cli.md, "hash"): read in blocks while the block before is hashed, each block
/// on every core. Whatever the size's place against the block and the parallel threshold, the digests are b3sum's and
/// SHA-256's of the whole file.
/// </summary>
public sealed class LargeFileHashTests : IDisposable
{
    const int Block = FileHasher.BlockSize;
    const int Parallel = FileHasher.ParallelFrom;

    readonly string path = Path.Combine(Path.GetTempPath(), "omnibridge-large-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(path);

    [Theory]
    [InlineData(Parallel - 1)]             // one small read
    [InlineData(Parallel)]                 // the smallest file hashed on every core
    [InlineData(Block - 1)]                // one block, short
    [InlineData(Block)]                    // exactly one block: the read after it finds the end
    [InlineData(Block + 1)]                // a last block of one byte
    [InlineData(2 * Block)]                // exactly two blocks
    [InlineData((3 * Block) + Parallel + 7)] // a last block above the threshold
    public async Task A_file_of_any_size_around_the_blocks_hashes_as_b3sum_and_sha256_say(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);
        var expected = await B3sum.OfFileAsync(path);

        Assert.Equal((expected, (long)size), FileHasher.Blake3Of(path));
        var digest = FileHasher.DigestOf(path);
        Assert.Equal(new FileDigest(expected, Convert.ToHexStringLower(SHA256.HashData(bytes)), size), digest);
    }

    [Fact]
    public async Task A_stream_that_hands_out_a_few_bytes_at_a_time_hashes_as_the_whole()
    {
        var bytes = new byte[(2 * Block) + 12345];
        new Random(7).NextBytes(bytes);
        await File.WriteAllBytesAsync(path, bytes);

        using var trickle = new TrickleStream(bytes, 65_521);

        Assert.Equal((await B3sum.OfFileAsync(path), (long)bytes.Length), FileHasher.Blake3Of(trickle));
    }

    /// <summary>A stream like a pipe: every read returns at most a few bytes, whatever was asked.</summary>
    sealed class TrickleStream(byte[] bytes, int most) : Stream
    {
        int position;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, most), bytes.Length - position);
            bytes.AsSpan(position, n).CopyTo(buffer);
            position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

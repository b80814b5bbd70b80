using Blake3;
using OmniBridge.Cli.Hashing;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// A large file is hashed from a memory map, a window at a time (docs/cli.md): the hash is the file's whatever the
/// windows' size, at the edges of the mapping and of each window. (b3sum's agreement on whole files is checked by
/// HashCommandTests; here the windows are made small so that a file of a few MiB crosses many.)
/// </summary>
public sealed class MappedHashTests : IDisposable
{
    readonly string path = Path.Combine(Path.GetTempPath(), "omnibridge-mapped-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(path);

    [Theory]
    [InlineData(FileHasher.MapFrom, 1 << 20)]          // the smallest mapped file, windows that divide it
    [InlineData(FileHasher.MapFrom + 17, 3 << 20)]     // a last window of 17 bytes past whole ones
    [InlineData(FileHasher.MapFrom + 4096, (1 << 20) + 1)] // windows that split chunks (1 KiB) and pages (4 KiB)
    [InlineData(FileHasher.MapFrom * 2 + 5, int.MaxValue)] // one window for the whole file
    public void The_hash_of_a_mapped_file_is_its_bytes_hash_whatever_the_window(long size, int window)
    {
        var bytes = new byte[size];
        new Random((int)size).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        var (hash, length) = FileHasher.Blake3Of(path, window);

        Assert.Equal(Convert.ToHexStringLower(Hasher.Hash(bytes).AsSpan()), hash);
        Assert.Equal(size, length);
    }

    [Fact]
    public void A_file_just_under_the_mapped_size_is_read_and_hashes_the_same()
    {
        var bytes = new byte[FileHasher.MapFrom - 1];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        Assert.Equal(Convert.ToHexStringLower(Hasher.Hash(bytes).AsSpan()), FileHasher.Blake3Of(path).Blake3);
    }
}

using OmniBridge.Cli.Hashing;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// The tool's read of a small file (docs/cli.md): one read sized from what the walk saw, and still every byte of a file
/// that grew or shrank since the walk.
/// </summary>
public sealed class SmallFileReadTests : IDisposable
{
    readonly string path = Path.Combine(Path.GetTempPath(), "omnibridge-small-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => File.Delete(path);

    [Theory]
    [InlineData(0, 0)]       // empty, as seen
    [InlineData(1024, 1024)] // as seen
    [InlineData(3000, 1024)] // grew since the walk: more than twice what was seen
    [InlineData(1025, 1024)] // grew by one byte: the buffer's spare byte is filled, and the read goes on
    [InlineData(10, 1024)]   // shrank since the walk
    [InlineData(5000, 0)]    // was empty when walked
    public void Every_byte_is_read_whatever_the_size_the_walk_saw(int actual, long seen)
    {
        var bytes = new byte[actual];
        new Random(actual).NextBytes(bytes);
        File.WriteAllBytes(path, bytes);

        Assert.Equal(bytes, FileHasher.ReadSmall(path, seen));
    }
}

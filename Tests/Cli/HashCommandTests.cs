using System.Diagnostics;

namespace OmniBridge.Tests.Cli;

/// <summary><c>omnibridge hash</c> against the reference tool: the same bytes on stdout, file for file (docs/cli.md, "hash").</summary>
public sealed class HashCommandTests : IDisposable
{
    readonly SampleTree tree = new(textFiles: 12);

    static readonly string[] Names =
    [
        "README.md", "with space.txt", "new\nline.txt", "back\\slash.txt", "ünïcødé-名前.txt", "empty", "assets/blob07.bin",
        "a/b/c/d/e/f/g/deep.txt", "dist/large.bin",
    ];

    [Fact]
    public async Task The_output_is_byte_for_byte_b3sums_for_odd_names_empty_binary_and_large_files()
    {
        var ours = await Omnibridge.RunAsync(["hash", .. Names], tree.Root);
        var theirs = await B3sumAsync(tree.Root, Names);

        Assert.Equal(0, ours.ExitCode);
        Assert.Equal(Names.Length, ours.Output.Count(c => c == '\n'));
        Assert.Equal(theirs, ours.Stdout);
        // The name with a line feed is printed escaped, its line marked with a leading backslash.
        Assert.StartsWith("\\", ours.Output.Split('\n').Single(l => l.EndsWith("new\\nline.txt", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Standard_input_is_hashed_as_dash_and_no_names_prints_hashes_alone()
    {
        var bytes = File.ReadAllBytes(tree.PathOf("assets/blob03.bin"));
        var stdin = await Omnibridge.RunAsync(["hash"], tree.Root, input: bytes);
        var dash = await Omnibridge.RunAsync(["hash", "-"], tree.Root, input: bytes);
        var bare = await Omnibridge.RunAsync(["hash", "--no-names", "assets/blob03.bin"], tree.Root);
        var expected = (await B3sumAsync(tree.Root, ["assets/blob03.bin"]))[..64];

        Assert.Equal(System.Text.Encoding.ASCII.GetString(expected) + "  -\n", stdin.Output);
        Assert.Equal(stdin.Output, dash.Output);
        Assert.Equal(System.Text.Encoding.ASCII.GetString(expected) + "\n", bare.Output);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_reported_with_exit_code_2_and_the_others_are_still_hashed()
    {
        var run = await Omnibridge.RunAsync(["hash", "README.md", "no-such-file", "src", "empty"], tree.Root);

        Assert.Equal(2, run.ExitCode);
        Assert.Equal(await B3sumAsync(tree.Root, ["README.md", "empty"]), run.Stdout);
        Assert.Contains("no-such-file", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("src", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>What b3sum prints for the files (b3sum exits 1 when one fails; its output is what counts here).</summary>
    internal static async Task<byte[]> B3sumAsync(string folder, string[] names)
    {
        var start = new ProcessStartInfo("b3sum", names) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(output);
        await process.WaitForExitAsync();
        return output.ToArray();
    }

    public void Dispose() => tree.Dispose();
}

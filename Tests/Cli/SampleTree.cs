using System.Text;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// A tree of files as a real project has them: hundreds of small text files in nested folders
/// (some with the same content), binary files, empty ones, one of at least 64 MiB, names with
/// spaces, a line feed, a backslash and non-ASCII letters; and what a walk must leave alone: a
/// .git folder and symbolic links.
/// </summary>
public sealed class SampleTree : IDisposable
{
    public const long LargeSize = (64L << 20) + 12345;

    public SampleTree(int textFiles = 300, bool large = true)
    {
        Root = Path.Combine(Path.GetTempPath(), "omnibridge-cli-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Root);
        var random = new Random(textFiles);
        for (var i = 0; i < textFiles; i++)
        {
            // Every tenth file repeats another's content: two paths, one record.
            var body = i % 10 == 9 ? $"def f{i - 1}():\n    return {i - 1}\n" : $"def f{i}():\n    return {i}\n";
            Write($"src/pkg{i % 7}/mod{i % 3}/file{i:D3}.py", body);
        }
        for (var i = 0; i < 20; i++)
        {
            var bytes = new byte[random.Next(1, 200_000)];
            random.NextBytes(bytes);
            bytes[0] = 0;   // a NUL byte: never text
            WriteBytes($"assets/blob{i:D2}.bin", bytes);
        }
        WriteBytes("empty", []);
        WriteBytes("assets/empty.bin", []);
        Write("a/b/c/d/e/f/g/deep.txt", "deep down\n");
        Write("with space.txt", "a name with a space\n");
        Write("new\nline.txt", "a name with a line feed\n");
        Write("back\\slash.txt", "a name with a backslash\n");
        Write("ünïcødé-名前.txt", "a name in other scripts\n");
        Write("README.md", "# sample\n\nA tree for the command-line tests.\n");
        if (large)
        {
            var block = new byte[4 << 20];
            Directory.CreateDirectory(PathOf("dist"));
            using var file = File.Create(PathOf("dist/large.bin"));
            for (long written = 0; written < LargeSize; written += block.Length)
            {
                random.NextBytes(block);
                file.Write(block, 0, (int)Math.Min(block.Length, LargeSize - written));
            }
        }
        Write(".git/config", "[core]\n");
        Write(".git/objects/ab/cdef", "not part of the tree");
        File.CreateSymbolicLink(Path.Combine(Root, "link-to-readme.md"), "README.md");
        Directory.CreateSymbolicLink(Path.Combine(Root, "link-to-src"), Path.Combine(Root, "src"));
    }

    public string Root { get; }

    /// <summary>The manifest paths a walk must find: everything written but .git and the links.</summary>
    public IReadOnlyList<string> ExpectedPaths => [.. Directory.EnumerateFiles(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
        .Where(p => !new FileInfo(p).Attributes.HasFlag(FileAttributes.ReparsePoint))
        .Select(p => Path.GetRelativePath(Root, p))
        .Where(p => !p.StartsWith(".git/", StringComparison.Ordinal) && !p.StartsWith("link-to-", StringComparison.Ordinal) && !p.StartsWith("onex-", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)];

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Write(string relative, string text) => WriteBytes(relative, Encoding.UTF8.GetBytes(text));

    public void WriteBytes(string relative, byte[] bytes)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temporary folder is no failure
        }
    }
}

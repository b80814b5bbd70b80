namespace OmniBridge.Cli.Trees;

/// <summary>
/// The files a command works on (docs/cli.md, "Which files"): every regular file under the paths
/// given, named by its path relative to the manifest's folder with <c>/</c> between the parts.
/// <c>.git</c> is skipped, and so are the manifest and the proofs file themselves; symbolic links
/// are neither followed nor taken (a link could lead out of the tree, or round in a circle).
/// </summary>
public static class FileTree
{
    static readonly EnumerationOptions OneLevel = new()
    {
        RecurseSubdirectories = false,
        AttributesToSkip = 0,   // hidden files (dot files) are files like any other
        IgnoreInaccessible = false,
        ReturnSpecialDirectories = false,
    };

    /// <param name="roots">The paths as given: files or folders.</param>
    /// <param name="baseFolder">The manifest's folder, which relative paths start from.</param>
    /// <param name="excluded">Full paths never taken (the manifest, the proofs file).</param>
    /// <exception cref="FileNotFoundException">A path given does not exist.</exception>
    public static IReadOnlyList<TreeFile> Walk(IEnumerable<string> roots, string baseFolder, IEnumerable<string> excluded)
    {
        var skip = new HashSet<string>(excluded.Select(Path.GetFullPath), StringComparer.Ordinal);
        var found = new Dictionary<string, TreeFile>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            var full = Path.GetFullPath(root);
            var info = new FileInfo(full);
            if (IsLink(info)) continue;
            if (info.Exists) Take(info, baseFolder, skip, found);
            else if (Directory.Exists(full)) Descend(new DirectoryInfo(full), baseFolder, skip, found);
            else throw new FileNotFoundException($"{root}: no such file or folder", root);
        }
        return [.. found.Values.OrderBy(f => f.Path, StringComparer.Ordinal)];
    }

    static void Descend(DirectoryInfo folder, string baseFolder, HashSet<string> skip, Dictionary<string, TreeFile> found)
    {
        foreach (var entry in folder.EnumerateFileSystemInfos("*", OneLevel))
        {
            if (IsLink(entry) || entry.Name == ".git") continue;
            if (entry is DirectoryInfo sub) Descend(sub, baseFolder, skip, found);
            else Take((FileInfo)entry, baseFolder, skip, found);
        }
    }

    /// <summary>A symbolic link (the enumeration already read the entry's attributes, so this costs no call).</summary>
    /// <remarks>A path that does not exist has every attribute bit set (-1): it is no link, and the caller says it is missing.</remarks>
    static bool IsLink(FileSystemInfo entry) => (int)entry.Attributes != -1 && entry.Attributes.HasFlag(FileAttributes.ReparsePoint);

    static void Take(FileInfo file, string baseFolder, HashSet<string> skip, Dictionary<string, TreeFile> found)
    {
        if (skip.Contains(file.FullName)) return;
        var relative = RelativePath(baseFolder, file.FullName);
        found.TryAdd(relative, new TreeFile(relative, file.FullName, file.Length));
    }

    /// <summary>The manifest's name for a file: relative to <paramref name="baseFolder"/>, parts joined by <c>/</c>.</summary>
    public static string RelativePath(string baseFolder, string fullPath) =>
        Path.GetRelativePath(baseFolder, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    /// <summary>Where a manifest path is on disk.</summary>
    public static string FullPath(string baseFolder, string relative) =>
        Path.GetFullPath(Path.Combine(baseFolder, relative.Replace('/', Path.DirectorySeparatorChar)));
}

/// <summary>A file of the tree: its manifest path, where it is, and its size when walked.</summary>
public sealed record class TreeFile(string Path, string FullPath, long Size);

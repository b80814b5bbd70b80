namespace OmniBridge.Cli.Verifying;

/// <summary>What <c>verify</c> found of one file (docs/cli.md, "verify"); the JSON names are the snake_case of these.</summary>
/// <remarks>In order of precedence: a file with several findings is reported with the first of them.</remarks>
public enum FileStatus
{
    Missing,
    InvalidStamp,
    Modified,
    Added,
    NotRegistered,
    ProofFailed,
    Ok,
}

/// <summary>A file's finding and, when it is not ok, why.</summary>
public sealed record class FileFinding(string Path, FileStatus Status, string? Detail = null);

public static class FileStatusNames
{
    public static string Wire(this FileStatus status) => status switch
    {
        FileStatus.Missing => "missing",
        FileStatus.InvalidStamp => "invalid_stamp",
        FileStatus.Modified => "modified",
        FileStatus.Added => "added",
        FileStatus.NotRegistered => "not_registered",
        FileStatus.ProofFailed => "proof_failed",
        _ => "ok",
    };
}

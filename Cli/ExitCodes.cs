namespace OmniBridge.Cli;

/// <summary>What the process's exit code says (docs/cli.md, "Output and exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Everything checked out.</summary>
    public const int Ok = 0;

    /// <summary>A mismatch: a file changed, a stamp or a proof failed, a checkpoint is forged or inconsistent.</summary>
    public const int Mismatch = 1;

    /// <summary>The command could not do its work: bad usage, no connection, an error of the server, an unreadable file.</summary>
    public const int Error = 2;
}

namespace OmniBridge.Grains.Interfaces.Validation;

/// <summary>A BLAKE3 digest as the service writes it: 64 lowercase hex characters.</summary>
public static class FileHash
{
    public const int Length = 64;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "file_hash must be 64 lowercase hex characters";

    public static bool IsValid(string? hash)
    {
        if (hash is null || hash.Length != Length) return false;
        foreach (var c in hash)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        }
        return true;
    }
}

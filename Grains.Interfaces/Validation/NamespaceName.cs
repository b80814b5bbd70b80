namespace OmniBridge.Grains.Interfaces.Validation;

/// <summary>
/// The rules for a namespace name (docs/protocol.md, "Namespaces"): 1 to 255 characters, dot-separated labels of
/// <c>[a-z0-9][a-z0-9_-]*</c>. A namespace is a tenant, so the rule is strict: no empty labels,
/// no upper case, nothing that could be read as a path.
/// </summary>
public static class NamespaceName
{
    public const int MaxLength = 255;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Rule = "namespace must be 1 to 255 characters of dot-separated labels [a-z0-9][a-z0-9_-]*";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength) return false;
        var labelStart = true;
        foreach (var c in name)
        {
            if (c == '.')
            {
                if (labelStart) return false;   // empty label: leading dot or ".."
                labelStart = true;
                continue;
            }
            var lowerOrDigit = c is >= 'a' and <= 'z' or >= '0' and <= '9';
            if (labelStart ? !lowerOrDigit : !(lowerOrDigit || c is '_' or '-')) return false;
            labelStart = false;
        }
        return !labelStart;   // a trailing dot leaves an empty label
    }
}

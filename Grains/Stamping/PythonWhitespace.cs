namespace OmniBridge.Grains.Stamping;

/// <summary>
/// White space exactly as Python's <c>str.strip()</c> sees it (docs/protocol.md, "Canonical content"). The original service
/// was Python, and a stamp must hash the same content in both, so .NET's <c>Trim()</c> (which
/// also removes U+180E and differs on U+001C–U+001F) is not used.
/// </summary>
public static class PythonWhitespace
{
    public static bool Is(char c) => c switch
    {
        >= '\u0009' and <= '\u000D' => true,
        >= '\u001C' and <= '\u0020' => true,
        '\u0085' or '\u00A0' or '\u1680' => true,
        >= '\u2000' and <= '\u200A' => true,
        '\u2028' or '\u2029' or '\u202F' or '\u205F' or '\u3000' => true,
        _ => false,
    };

    /// <summary><paramref name="text"/> without leading and trailing white space.</summary>
    public static ReadOnlySpan<char> Strip(ReadOnlySpan<char> text)
    {
        var start = 0;
        while (start < text.Length && Is(text[start])) start++;
        var end = text.Length;
        while (end > start && Is(text[end - 1])) end--;
        return text[start..end];
    }
}

namespace OmniBridge.Grains.Interfaces.Validation;

/// <summary>
/// Rules for the free-text fields that end up inside a stamp. A rich stamp writes file_path and
/// content_type on their own lines inside an HTML comment, so line breaks or comment markers there
/// would let one stamp forge another; they are refused rather than escaped.
/// </summary>
public static class StampFields
{
    /// <summary>Null when the path is acceptable, else why not.</summary>
    public static string? FilePathProblem(string path)
    {
        if (path.Length == 0) return "file_path must not be empty";
        if (TooLong(path, Limits.FilePathCharacters, "file_path") is { } tooLong) return tooLong;
        if (HasControlCharacter(path)) return "file_path must not contain control characters or line breaks";
        if (path.Contains("<!--", StringComparison.Ordinal) || path.Contains("-->", StringComparison.Ordinal))
            return "file_path must not contain HTML comment markers";
        return UnicodeProblem(path, "file_path");
    }

    /// <summary>Null when the media type is acceptable (<c>type/subtype</c> with optional parameters), else why not.</summary>
    public static string? ContentTypeProblem(string contentType)
    {
        if (TooLong(contentType, Limits.ContentTypeCharacters, "content_type") is { } tooLong) return tooLong;
        if (contentType.Length == 0 || HasControlCharacter(contentType)) return "content_type must be a media type such as text/plain";
        var semicolon = contentType.IndexOf(';');
        var essence = semicolon < 0 ? contentType : contentType[..semicolon];
        var slash = essence.IndexOf('/');
        if (slash <= 0 || slash == essence.Length - 1 || !IsToken(essence.AsSpan(0, slash)) || !IsToken(essence.AsSpan(slash + 1)))
            return "content_type must be a media type such as text/plain";
        if (contentType.Contains("-->", StringComparison.Ordinal)) return "content_type must not contain HTML comment markers";
        return null;
    }

    /// <summary>Null when the text encodes to UTF-8 without loss (no lone surrogates), else why not.</summary>
    public static string? UnicodeProblem(string text, string field)
    {
        var span = text.AsSpan();
        // Surrogates are rare in real text: jump from one to the next instead of walking every char.
        for (var i = span.IndexOfAnyInRange('\uD800', '\uDFFF'); i >= 0 && i < span.Length;)
        {
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1]))
            {
                var next = span[(i + 2)..].IndexOfAnyInRange('\uD800', '\uDFFF');
                i = next < 0 ? -1 : i + 2 + next;
                continue;
            }
            return $"{field} contains an unpaired UTF-16 surrogate (U+{(int)span[i]:X4}), which is not valid Unicode";
        }
        return null;
    }

    /// <summary>Null when <paramref name="text"/> has at most <paramref name="max"/> characters (Unicode code points), else the refusal naming the limit.</summary>
    public static string? TooLong(string text, int max, string what)
    {
        // A string of at most max UTF-16 units has at most max code points: count only longer ones.
        if (text.Length <= max) return null;
        var characters = text.EnumerateRunes().Count();
        return characters <= max ? null : $"{what} is {characters} characters long; at most {max} are allowed";
    }

    static bool HasControlCharacter(string s)
    {
        foreach (var c in s)
        {
            if (char.IsControl(c)) return true;
        }
        return false;
    }

    static bool IsToken(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$&^_.+-".Contains(c))) return false;
        }
        return s.Length > 0;
    }
}

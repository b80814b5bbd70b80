using System.Text.RegularExpressions;

namespace OmniBridge.Grains.Codegen;

/// <summary>Python and ONEX naming: snake_case identifiers, PascalCase class names, keywords to avoid.</summary>
public static partial class Identifiers
{
    static readonly HashSet<string> PythonKeywords =
    [
        "false", "none", "true", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del", "elif", "else",
        "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass",
        "raise", "return", "try", "while", "with", "yield", "match", "case", "type", "self",
    ];

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();

    public static bool IsSnakeCase(string name) => SnakeCase().IsMatch(name);

    [GeneratedRegex("[A-Za-z0-9]+")]
    private static partial Regex LettersAndDigits();

    static IEnumerable<string> Runs(string text) => LettersAndDigits().Matches(text).Select(m => m.Value);

    public static bool IsReserved(string name) => PythonKeywords.Contains(name.ToLowerInvariant());

    /// <summary>
    /// An operation or field name as a Python identifier: lower case, words kept apart by one
    /// underscore. Words end at anything but letters and digits and where camelCase or PascalCase
    /// starts one (<c>customerAccount</c>, <c>CustomerAccount</c> → <c>customer_account</c>;
    /// <c>HTTPServer</c> → <c>http_server</c>). Null when nothing usable is left or it starts with
    /// a digit.
    /// </summary>
    public static string? ToSnake(string text)
    {
        var name = string.Join('_', Words(text)).ToLowerInvariant();
        return name.Length > 0 && char.IsAsciiLetterLower(name[0]) ? name : null;
    }

    /// <summary>user_crud → UserCrud.</summary>
    public static string ToPascal(string snake) =>
        string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>
    /// A name as a class name, keeping its words as written: <c>customer_account</c>,
    /// <c>customer-account</c>, <c>customerAccount</c> and <c>CustomerAccount</c> →
    /// <c>CustomerAccount</c>; <c>HTTPServer</c> stays; <c>user ID 2</c> → <c>UserID2</c>.
    /// </summary>
    public static string ToClassName(string text) =>
        string.Concat(Runs(text).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>The words of a name: runs of letters and digits, split again where a capital starts a word.</summary>
    static IEnumerable<string> Words(string text)
    {
        foreach (var run in Runs(text))
        {
            var start = 0;
            for (var i = 1; i < run.Length; i++)
            {
                var startsWord = char.IsAsciiLetterUpper(run[i]) &&
                    (!char.IsAsciiLetterUpper(run[i - 1]) || (i + 1 < run.Length && char.IsAsciiLetterLower(run[i + 1])));
                if (!startsWord) continue;
                yield return run[start..i];
                start = i;
            }
            yield return run[start..];
        }
    }
}

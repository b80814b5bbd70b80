using System.Text;
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

    public static bool IsReserved(string name) => PythonKeywords.Contains(name.ToLowerInvariant());

    /// <summary>
    /// An operation or field name as a Python identifier: lower case, runs of anything but letters
    /// and digits become one underscore. Null when nothing usable is left or it starts with a digit.
    /// </summary>
    public static string? ToSnake(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c)) builder.Append(char.ToLowerInvariant(c));
            else if (builder.Length > 0 && builder[^1] != '_') builder.Append('_');
        }
        var name = builder.ToString().Trim('_');
        return name.Length > 0 && char.IsAsciiLetterLower(name[0]) ? name : null;
    }

    /// <summary>user_crud → UserCrud.</summary>
    public static string ToPascal(string snake) =>
        string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
}

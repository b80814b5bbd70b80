using System.Text;

namespace OmniBridge.Cli.Hashing;

/// <summary>
/// File names printed the way b3sum prints them, so that the output of <c>omnibridge hash</c> is
/// byte for byte b3sum's and <c>b3sum --check</c> reads it: a name holding a backslash or a line
/// feed is escaped (<c>\\</c> and <c>\n</c>) and its whole line then starts with a backslash.
/// </summary>
public static class B3sumNames
{
    /// <summary>The name as b3sum writes it, and whether the line needs the leading backslash.</summary>
    public static (string Name, bool Escaped) Escape(string name)
    {
        if (name.AsSpan().IndexOfAny('\\', '\n') < 0) return (name, false);
        var escaped = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            switch (c)
            {
                case '\\': escaped.Append(@"\\"); break;
                case '\n': escaped.Append(@"\n"); break;
                default: escaped.Append(c); break;
            }
        }
        return (escaped.ToString(), true);
    }

    /// <summary>One line of b3sum's output: <c>{hash}  {name}</c>, with the leading backslash when the name was escaped.</summary>
    public static string Line(string hash, string name)
    {
        var (escaped, needsMark) = Escape(name);
        return needsMark ? $"\\{hash}  {escaped}" : $"{hash}  {escaped}";
    }

    /// <summary>The name alone as a report shows it: escaped like b3sum, without the line mark.</summary>
    public static string Display(string name) => Escape(name).Name;
}

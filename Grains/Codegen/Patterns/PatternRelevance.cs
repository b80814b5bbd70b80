namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>
/// How relevant a pattern is to a query (docs/patterns.md, "Scoring"): a sum of evidence, never an average, so more
/// evidence never lowers a score (the original averaged the factors that fired: naming a pattern lowered it).
/// <code>score = min(1, 0.1 + 0.5·named + 0.25·operation + 0.45·(1 − 0.5^k))</code>
/// named: a feature names the pattern (its name, an alias, or every word of its name among the feature's words);
/// operation: a word of the operation is one of its tags; k: how many distinct tag words the features' words hit.
/// Each term only grows when a feature is added, so the score does too.
/// </summary>
public static class PatternRelevance
{
    /// <summary>What a pattern gets for applying to the node type at all.</summary>
    public const double Applicable = 0.1;
    public const double Named = 0.5;
    public const double OperationMatch = 0.25;
    /// <summary>The most tag words can add: each one halves what is left of it.</summary>
    public const double TagWords = 0.45;

    public static double Score(bool named, bool operation, int tagWords) =>
        Math.Round(Math.Min(1.0, Applicable + (named ? Named : 0) + (operation ? OperationMatch : 0) + TagWords * (1 - Math.Pow(0.5, tagWords))), 4);

    /// <summary>The words of <paramref name="text"/>: lower case, split at anything but letters and digits, a plural s dropped.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsAsciiLetterOrDigit(text[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                words.Add(Stem(text[start..i].ToLowerInvariant()));
                start = -1;
            }
        }
        return words;
    }

    /// <summary>A name as features are compared with it: its words joined by underscores ("Health checks" → health_check).</summary>
    public static string Key(string text) => string.Join('_', Words(text));

    // "checks" and "check", "metrics" and "metric" are one word here; "status" and "class" stay whole enough to compare.
    static string Stem(string word) => word.Length > 3 && word[^1] == 's' && word[^2] != 's' ? word[..^1] : word;
}

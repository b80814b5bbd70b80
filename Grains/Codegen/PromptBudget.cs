namespace OmniBridge.Grains.Codegen;

/// <summary>One part of a prompt; lower <see cref="Priority"/> is kept first.</summary>
public sealed record class PromptSection(string Name, int Priority, string Text);

/// <summary>A prompt within its budget, and what had to give way.</summary>
public sealed record class BudgetedPrompt(string Text, int Tokens, IReadOnlyList<string> Kept, IReadOnlyList<string> Truncated, IReadOnlyList<string> Dropped);

/// <summary>
/// Builds a prompt within a token budget (tokens estimated as characters / 4, as for runs' context packages): sections
/// go in by priority, whole while they fit; the first that does not fit is cut (when enough room is left to be worth
/// it) and every later one dropped. So the lowest priorities give way first, and the result never exceeds the budget:
/// a first section larger than the whole budget is itself cut.
/// </summary>
public static class PromptBudget
{
    public const string TruncationNote = "\n[truncated to fit the token budget]\n";

    /// <summary>A cut section keeps at least this many characters of its text, or it is dropped instead.</summary>
    public const int MinimumCut = 200;

    public static int Tokens(string text) => (text.Length + 3) / 4;

    public static BudgetedPrompt Build(IEnumerable<PromptSection> sections, int budgetTokens)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetTokens, 1);
        var room = budgetTokens * 4;
        var text = new System.Text.StringBuilder();
        List<string> kept = [], truncated = [], dropped = [];
        var first = true;
        foreach (var section in sections.OrderBy(s => s.Priority))
        {
            var heading = $"## {section.Name}\n";
            var block = heading + section.Text.TrimEnd() + "\n\n";
            var left = room - text.Length;
            if (block.Length <= left)
            {
                text.Append(block);
                kept.Add(section.Name);
            }
            else if (left - heading.Length - TruncationNote.Length >= (first ? 1 : MinimumCut))
            {
                text.Append(heading).Append(section.Text.AsSpan(0, left - heading.Length - TruncationNote.Length)).Append(TruncationNote);
                truncated.Add(section.Name);
                room = text.Length; // nothing after a cut section: it would read as part of it
            }
            else if (first)
            {
                // Not even room for the heading and the note: the first section still gets what room there is.
                text.Append(block.AsSpan(0, left));
                truncated.Add(section.Name);
                room = text.Length;
            }
            else
            {
                dropped.Add(section.Name);
                room = text.Length; // a smaller, lower section must not slip in where a higher one did not fit
            }
            first = false;
        }
        var prompt = text.ToString();
        return new BudgetedPrompt(prompt, Tokens(prompt), kept, truncated, dropped);
    }
}

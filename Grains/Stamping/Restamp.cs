using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Puts exactly one valid stamp on text (SPEC §3.3): stale stamps of every form are removed, and
/// a new stamp is added only when no valid one remains, so stamps never accumulate. A valid stamp
/// already there is kept as written, even with another uid: the hash binds, the uid only names.
/// </summary>
public static class Restamp
{
    /// <param name="text">The text as read, with its canonical hash.</param>
    /// <param name="form">Lightweight (a first line) or rich (a block at the end).</param>
    /// <param name="stamp">The stamp to add when none is valid, built from the record.</param>
    public static string Apply(StampedText text, string canonicalHash, StampType form, string stamp)
    {
        var staleLines = text.Lightweight.Where(s => !s.Binds(canonicalHash)).ToList();
        var validLines = text.Lightweight.Count - staleLines.Count;
        var content = StampScanner.Without(text.Text, staleLines);

        // Rich blocks are found again in what is left: removing lines moved them.
        var blocks = StampScanner.FindRich(content);
        var staleBlocks = blocks.Where(s => !s.Binds(canonicalHash)).ToList();
        content = StampScanner.Without(content, staleBlocks, withSeparator: true);

        if (validLines + blocks.Count - staleBlocks.Count > 0) return content;
        return form == StampType.Rich ? content + "\n\n" + stamp : stamp + "\n" + content;
    }
}

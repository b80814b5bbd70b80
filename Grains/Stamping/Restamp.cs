using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Puts exactly one valid stamp on text (docs/protocol.md, "Stamp forms"): stale stamps of every form are removed, and
/// a new stamp is added only when no valid one remains, so stamps never accumulate. A valid stamp
/// already there is kept as written, even with another uid: the hash binds, the uid only names.
/// </summary>
public static class Restamp
{
    /// <param name="text">The text as read, with its canonical hash.</param>
    /// <param name="form">Lightweight (a first line) or rich (a block at the end).</param>
    /// <param name="stamp">The stamp to add when none is valid, built from the record.</param>
    public static string Apply(StampedText text, string canonicalHash, StampType form, string stamp) =>
        Pieces(text, canonicalHash, form, stamp).Join();

    /// <summary><see cref="Apply"/>, left in its pieces (joined when read).</summary>
    public static StampedPieces Pieces(StampedText text, string canonicalHash, StampType form, string stamp)
    {
        if (!text.HasStamps) return Added(text.Text, form, stamp);
        var valid = 0;
        bool Stale(FoundStamp s)
        {
            if (s.Binds(canonicalHash)) valid++;
            return !s.Binds(canonicalHash);
        }

        var content = StampScanner.Without(text.Text, StampScanner.Lightweight(text.Text).Where(Stale));
        // Rich blocks are found again in what is left: removing lines moved them.
        content = StampScanner.Without(content, StampScanner.Rich(content).Where(Stale), withSeparator: true);

        return valid > 0 ? StampedPieces.Whole(content) : Added(content, form, stamp);
    }

    static StampedPieces Added(string content, StampType form, string stamp) =>
        form == StampType.Rich ? new(content, "\n\n", stamp) : new(stamp, "\n", content);

    /// <summary>
    /// Whether <paramref name="stamped"/> reads back as intended: the same canonical hash, and every
    /// stamp in it valid. A rich block appended after an unclosed START marker in the content would
    /// pair with that marker instead, and swallow the text between them.
    /// </summary>
    public static bool ReadsBack(string stamped, string canonicalHash)
    {
        var read = StampedText.Read(stamped);
        var any = false;
        foreach (var s in read.Stamps)
        {
            if (!s.Binds(canonicalHash)) return false;
            any = true;
        }
        return any && ContentHash.OfUtf8(read.Canonical) == canonicalHash;
    }
}

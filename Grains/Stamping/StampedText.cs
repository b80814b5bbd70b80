namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Text read for stamps: its canonical content (docs/protocol.md, "Canonical content"), computed once, and the stamps it
/// carries, handed out one at a time (never all held at once: content may carry millions).
/// </summary>
public sealed class StampedText
{
    StampedText(string text)
    {
        Text = text;
        WithoutLightweight = StampScanner.Without(text, StampScanner.Lightweight(text));
        var stampless = StampScanner.Without(WithoutLightweight, StampScanner.Rich(WithoutLightweight));
        // Without hands back the very text it was given when it found nothing to remove.
        HasStamps = !ReferenceEquals(WithoutLightweight, text) || !ReferenceEquals(stampless, WithoutLightweight);
        Canonical = CanonicalContent.Normalise(stampless);
    }

    public static StampedText Read(string text) => new(text);

    /// <summary>The text as given.</summary>
    public string Text { get; }

    /// <summary><see cref="Text"/> with every lightweight line removed: where rich blocks are looked for.</summary>
    public string WithoutLightweight { get; }

    /// <summary>Every stamp, lightweight lines (positioned in <see cref="Text"/>) then rich blocks (positioned in <see cref="WithoutLightweight"/>).</summary>
    public IEnumerable<FoundStamp> Stamps => StampScanner.Lightweight(Text).Concat(StampScanner.Rich(WithoutLightweight));

    /// <summary>Whether the text carries any stamp, valid or not (most content sent to be stamped carries none).</summary>
    public bool HasStamps { get; }

    /// <summary>What a stamp covers: the text with every stamp removed, blank runs collapsed, ends trimmed.</summary>
    public string Canonical { get; }
}

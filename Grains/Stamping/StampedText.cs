namespace OmniBridge.Grains.Stamping;

/// <summary>
/// Text read for stamps: the stamps it carries and its canonical content (SPEC §3.2), computed
/// once and shared by hashing, restamping and validation.
/// </summary>
public sealed class StampedText
{
    StampedText(string text)
    {
        Text = text;
        Lightweight = StampScanner.FindLightweight(text);
        WithoutLightweight = StampScanner.Without(text, Lightweight);
        Rich = StampScanner.FindRich(WithoutLightweight);
        Canonical = CanonicalContent.Normalise(StampScanner.Without(WithoutLightweight, Rich));
    }

    public static StampedText Read(string text) => new(text);

    /// <summary>The text as given.</summary>
    public string Text { get; }

    /// <summary>Lightweight stamps, positioned in <see cref="Text"/>.</summary>
    public IReadOnlyList<FoundStamp> Lightweight { get; }

    /// <summary><see cref="Text"/> with every lightweight line removed.</summary>
    public string WithoutLightweight { get; }

    /// <summary>Rich blocks, positioned in <see cref="WithoutLightweight"/>.</summary>
    public IReadOnlyList<FoundStamp> Rich { get; }

    /// <summary>Every stamp, lightweight first.</summary>
    public IEnumerable<FoundStamp> Stamps => Lightweight.Concat(Rich);

    public int StampCount => Lightweight.Count + Rich.Count;

    /// <summary>What a stamp covers: the text with every stamp removed, blank runs collapsed, ends trimmed.</summary>
    public string Canonical { get; }
}

namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>
/// Text carrying its stamp as the pieces it is made of, in order: the content and the stamp with
/// the line break between them (a lightweight stamp first, a rich block last), or the text alone
/// when a valid stamp was already in it. A batch's answer holds a thousand stamped texts; joined
/// when stamped, each would outlive many collections waiting for the answer to be written, so a
/// caller may ask for them in pieces and write each piece after the other.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct StampedPieces(
    [property: Id(0)] string First,
    [property: Id(1)] string Between,
    [property: Id(2)] string Last)
{
    /// <summary>Text that already carries a valid stamp: nothing is added.</summary>
    public static StampedPieces Whole(string text) => new(text, "", "");

    /// <summary>The text, made anew on every call.</summary>
    public string Join() => string.Concat(First, Between, Last);
}

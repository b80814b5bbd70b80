namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>What stamping one piece of content produced.</summary>
[GenerateSerializer, Immutable]
public sealed record class StampOutcome
{
    /// <summary>The record: new, or the one that already existed for this content in this namespace.</summary>
    [Id(0)] public required StampRecord Record { get; init; }

    /// <summary>True when this call created the record, false when it already existed.</summary>
    [Id(1)] public required bool Created { get; init; }

    /// <summary>
    /// The text with exactly one valid stamp; null for binary content, and when the caller asked for
    /// <see cref="StampedPieces"/> instead (<see cref="StampCommand.StampedInPieces"/>, <see cref="BatchStampCommand.StampedInPieces"/>).
    /// </summary>
    [Id(2)] public string? StampedContent { get; init; }

    /// <summary>The same text in its pieces, instead of <see cref="StampedContent"/>, when the caller asked for them.</summary>
    [Id(5)] public StampedPieces? StampedPieces { get; init; }

    /// <summary>The stamped text however it was answered (joined anew from pieces on every call); null for binary content.</summary>
    public string? StampedText() => StampedContent ?? StampedPieces?.Join();

    /// <summary>The stamped text however it was answered, as pieces (never joined); null for binary content.</summary>
    public StampedPieces? StampedTextPieces() => StampedPieces ?? (StampedContent is { } text ? Stamping.StampedPieces.Whole(text) : null);

    /// <summary>Time spent hashing the content, in milliseconds.</summary>
    [Id(3)] public required double HashTimeMs { get; init; }

    /// <summary>Time spent canonicalising, hashing, stamping and storing, in milliseconds.</summary>
    [Id(4)] public required double ProcessingTimeMs { get; init; }
}

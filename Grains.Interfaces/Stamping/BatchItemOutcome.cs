namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>One item of a batch: stamped, or refused with a stable code (then nothing was stored for it).</summary>
[GenerateSerializer, Immutable]
public sealed record class BatchItemOutcome
{
    [Id(0)] public StampOutcome? Outcome { get; init; }

    /// <summary>Why the item was refused: code, field (relative to the item) and message.</summary>
    [Id(1)] public string? ErrorCode { get; init; }
    [Id(2)] public string? ErrorField { get; init; }
    [Id(3)] public string? ErrorMessage { get; init; }

    public static BatchItemOutcome Refused(StampCommandException refused) =>
        new() { ErrorCode = refused.Code, ErrorField = refused.Field, ErrorMessage = refused.Message };
}

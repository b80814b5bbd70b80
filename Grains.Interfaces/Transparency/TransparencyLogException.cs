namespace OmniBridge.Grains.Interfaces.Transparency;

/// <summary>
/// A transparency log request that cannot be answered as asked, with a stable code
/// (docs/transparency.md, "Endpoints"): STAMP_NOT_FOUND, NOT_YET_INTEGRATED, LOG_DISABLED or VALIDATION_ERROR.
/// </summary>
[GenerateSerializer]
public sealed class TransparencyLogException : Exception
{
    public TransparencyLogException() { }

    public TransparencyLogException(string message) : base(message) { }

    public TransparencyLogException(string message, Exception inner) : base(message, inner) { }

    public TransparencyLogException(string code, string? field, string message, bool retryLater = false) : base(message)
    {
        Code = code;
        Field = field;
        RetryLater = retryLater;
    }

    [Id(0)] public string Code { get; init; } = ErrorCodes.ValidationError;

    /// <summary>The query parameter at fault, when one is.</summary>
    [Id(1)] public string? Field { get; init; }

    /// <summary>True when asking again shortly will succeed (a record that integration will soon include).</summary>
    [Id(2)] public bool RetryLater { get; init; }
}

namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>A command was refused before anything changed, with a stable code (docs/protocol.md, "The REST API").</summary>
[GenerateSerializer]
public sealed class StampCommandException : Exception
{
    public StampCommandException() { }

    public StampCommandException(string message) : base(message) { }

    public StampCommandException(string message, Exception inner) : base(message, inner) { }

    public StampCommandException(string code, string? field, string message) : base(message)
    {
        Code = code;
        Field = field;
    }

    /// <summary>A stable error code such as INVALID_NAMESPACE or VALIDATION_ERROR.</summary>
    [Id(0)] public string Code { get; init; } = ErrorCodes.ValidationError;

    /// <summary>The field at fault, when one is.</summary>
    [Id(1)] public string? Field { get; init; }
}

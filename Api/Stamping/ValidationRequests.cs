namespace OmniBridge.Api.Stamping;

/// <summary>POST /validate.</summary>
public sealed record class ValidateRequest
{
    public string? Content { get; init; }
    public string? Namespace { get; init; }
    public ValidateOptions? Options { get; init; }
}

/// <summary>When given, every stamp must carry this hash too.</summary>
public sealed record class ValidateOptions
{
    public string? ExpectedHash { get; init; }
}

/// <summary>POST /validate-protocol.</summary>
public sealed record class ProtocolValidationRequest
{
    public string? Content { get; init; }

    /// <summary><c>O.N.E.v0.1</c>, the only protocol this service speaks (the default).</summary>
    public string? TargetProtocol { get; init; }

    /// <summary><c>basic</c> (default) or <c>strict</c>.</summary>
    public string? ValidationLevel { get; init; }

    public string? Namespace { get; init; }
}

/// <summary>POST /hash with a JSON body: the UTF-8 bytes of <c>content</c> are hashed as they are.</summary>
public sealed record class HashRequest
{
    public string? Content { get; init; }
}

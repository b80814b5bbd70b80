namespace OmniBridge.Grains.Interfaces.Stamping;

/// <summary>A request to check the stamps carried by text content (docs/protocol.md, "Validation").</summary>
[GenerateSerializer, Immutable]
public sealed record class ValidationCommand
{
    [Id(0)] public required string Text { get; init; }

    /// <summary>When given, every stamp must also carry this hash.</summary>
    [Id(1)] public string? ExpectedHash { get; init; }

    /// <summary>The namespace the validation is for: it scopes the stamp-validated event (stored records are never consulted).</summary>
    [Id(2)] public string? Namespace { get; init; }
}

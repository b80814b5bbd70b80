namespace OmniBridge.Grains.Interfaces.Codegen;

/// <summary>A generation refused before it began, with every problem found (field path and message).</summary>
[GenerateSerializer]
public sealed class CodegenRequestException : Exception
{
    public CodegenRequestException() { }

    public CodegenRequestException(string message) : base(message) { }

    public CodegenRequestException(string message, Exception inner) : base(message, inner) { }

    public CodegenRequestException(string code, IReadOnlyList<RequirementProblem> problems)
        : base(problems.Count == 1 ? problems[0].Message : $"{problems.Count} problems: " + string.Join("; ", problems.Select(p => p.Message)))
    {
        Code = code;
        Problems = problems;
    }

    /// <summary>VALIDATION_ERROR, MIXIN_CONFLICT or STRATEGY_UNAVAILABLE.</summary>
    [Id(0)] public string Code { get; init; } = ErrorCodes.ValidationError;
    [Id(1)] public IReadOnlyList<RequirementProblem> Problems { get; init; } = [];
}

/// <summary>One thing wrong with a generation request: the JSON path of the field and what is wrong.</summary>
[GenerateSerializer, Immutable]
public sealed record class RequirementProblem([property: Id(0)] string Field, [property: Id(1)] string Message);

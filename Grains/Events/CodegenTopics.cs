namespace OmniBridge.Grains.Events;

/// <summary>
/// The code generation topics (docs/protocol.md, "Code generation"), named as the original named them (no environment prefix):
/// requests and responses of the analyze, validate, pattern and mixin steps, the session status
/// stream, and one dead-letter topic per step.
/// </summary>
public static class CodegenTopics
{
    public const string Analyze = "analyze";
    public const string Validate = "validate";
    public const string Pattern = "pattern";
    public const string Mixin = "mixin";

    public static readonly IReadOnlyList<string> Steps = [Analyze, Validate, Pattern, Mixin];

    public const string Status = "omninode_codegen_status_session_v1";

    public static string Request(string step) => $"omninode_codegen_request_{step}_v1";

    public static string Response(string step) => $"omninode_codegen_response_{step}_v1";

    public static string DeadLetter(string step) => $"omninode_codegen_dlq_{step}_v1";

    /// <summary>Every codegen topic, dead-letter topics included.</summary>
    public static IReadOnlyList<string> All =>
        [.. Steps.SelectMany(s => new[] { Request(s), Response(s), DeadLetter(s) }), Status];

    /// <summary>The dead-letter topic of a codegen topic, or null when it is not one of ours.</summary>
    public static string? DeadLetterOf(string topic) =>
        Steps.FirstOrDefault(s => topic == Request(s) || topic == Response(s)) is { } step ? DeadLetter(step) : null;
}

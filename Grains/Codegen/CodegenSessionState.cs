using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen;

/// <summary>A generation session as grain storage keeps it: the request, where it stands, and the result once there is one.</summary>
[GenerateSerializer]
public sealed class CodegenSessionState
{
    [Id(0)] public SessionStatus Status { get; set; }
    [Id(1)] public GenerationRequest? Request { get; set; }
    [Id(2)] public string? Stage { get; set; }
    [Id(3)] public double Progress { get; set; }
    [Id(4)] public DateTime CreatedAt { get; set; }
    [Id(5)] public DateTime UpdatedAt { get; set; }
    [Id(6)] public string? Error { get; set; }
    /// <summary>LLM_UNAVAILABLE when the llm strategy's model could not answer, GENERATION_FAILED otherwise.</summary>
    [Id(7)] public string? ErrorCode { get; set; }
    [Id(8)] public GenerationResult? Result { get; set; }
}

using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Api.Codegen;

/// <summary>A generation as POST /generate answers it (docs/protocol.md, "Code generation"), with what else the caller may want to know.</summary>
public sealed record class GenerationResponse(
    Guid SessionId,
    string NodeName,
    string ServiceName,
    string StrategyUsed,
    double GenerationTimeMs,
    bool ValidationPassed,
    IReadOnlyList<string> ValidationErrors,
    string ValidationLevel,
    string Variant,
    IReadOnlyList<string> Mixins,
    IReadOnlyList<string> Subcontracts,
    IReadOnlyList<string> PatternsApplied,
    IReadOnlyList<string> Notes,
    IReadOnlyList<FileView> Files,
    QuorumView? Quorum)
{
    public static GenerationResponse From(GenerationResult r) => new(r.SessionId, r.NodeName, r.ServiceName, r.StrategyUsed,
        Math.Round(r.GenerationTimeMs, 3), r.ValidationPassed, r.ValidationErrors, r.ValidationLevel, r.Variant, r.Mixins, r.Subcontracts, r.PatternsApplied, r.Notes,
        [.. r.Files.Select(f => new FileView(f.Path, f.Content))], QuorumView.From(r.Quorum));
}

public sealed record class FileView(string Path, string Content);

/// <summary>GET /sessions/{id}: the session's status and progress, and its result once completed.</summary>
public sealed record class SessionResponse(
    Guid SessionId,
    string Status,
    string? Stage,
    double Progress,
    string Strategy,
    string ServiceName,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string? Error,
    string? ErrorCode,
    GenerationResponse? Result)
{
    public static SessionResponse From(CodegenSessionView v) => new(v.SessionId, v.Status.Wire(), v.Stage, Math.Round(v.Progress, 3),
        v.Strategy, v.ServiceName, v.CreatedAt, v.UpdatedAt, v.Error, v.ErrorCode, v.Result is { } r ? GenerationResponse.From(r) : null);
}

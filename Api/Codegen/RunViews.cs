using System.IO.Compression;
using System.Text.Json;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen.Runs;

namespace OmniBridge.Api.Codegen;

/// <summary>A run as GET /api/v1/codegen/runs/{id} answers it (docs/runs.md).</summary>
public sealed record class RunResponse(
    Guid RunId,
    string Status,
    string Strategy,
    string ValidationLevel,
    DateTime CreatedAt,
    IReadOnlyList<RunStageResponse> Stages,
    IReadOnlyList<RunContractResponse> Contracts,
    double WallMs,
    double SumStepMs,
    double Speedup)
{
    public static RunResponse From(RunView v) => new(v.RunId, v.Status.Wire(), v.Strategy, v.ValidationLevel, v.CreatedAt,
        [.. v.Stages.Select(s => new RunStageResponse(s.Name, s.Status.Wire(), s.StartedAt, s.DurationMs,
            [.. s.Steps.Select(t => new RunStepResponse(t.Contract, t.Status.Wire(), t.DurationMs, t.Attempts, t.Error))]))],
        [.. v.Contracts.Select(c => new RunContractResponse(c.Name, c.Status.Wire(), c.SessionId, c.NodeName, c.ValidationPassed,
            c.QualityScore, c.Error, c.ErrorCode, c.DependsOn, c.ValidationErrors, c.StrategyUsed, QuorumView.From(c.Quorum)))],
        v.WallMs, v.SumStepMs, v.Speedup);
}

public sealed record class RunStageResponse(string Name, string Status, DateTime? StartedAt, double DurationMs, IReadOnlyList<RunStepResponse> Steps);

public sealed record class RunStepResponse(string Contract, string Status, double DurationMs, int Attempts, string? Error);

public sealed record class RunContractResponse(string Name, string Status, Guid SessionId, string? NodeName, bool? ValidationPassed, double? QualityScore,
    string? Error, string? ErrorCode, IReadOnlyList<string> DependsOn, IReadOnlyList<string> ValidationErrors, string? StrategyUsed, QuorumView? Quorum);

/// <summary>GET /runs/{id}/signals: the run's signals in seq order.</summary>
public sealed record class RunSignalsResponse(Guid RunId, IReadOnlyList<RunSignalResponse> Signals);

public sealed record class RunSignalResponse(long Seq, Guid SignalId, string SignalType, string Sender, IReadOnlyList<string> Recipients, DateTime At, JsonElement Data)
{
    public static RunSignalResponse From(RunSignal s)
    {
        using var data = JsonDocument.Parse(s.Data);
        return new(s.Seq, s.SignalId, s.SignalType, s.Sender, s.Recipients, s.At, data.RootElement.Clone());
    }
}

/// <summary>GET /runs/{id}/routing: every decision of the run's router.</summary>
public sealed record class RunRoutingResponse(Guid RunId, IReadOnlyList<RoutingDecisionView> Decisions);

/// <summary>A run's packages as one zip: each completed contract's files under a folder named by the contract.</summary>
public static class RunPackageZip
{
    public static byte[] Of(IReadOnlyList<RunPackage> packages)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var package in packages)
                foreach (var file in package.Result.Files)
                {
                    var entry = zip.CreateEntry($"{package.Contract}/{file.Path}", CompressionLevel.Optimal);
                    using var writer = new StreamWriter(entry.Open(), new System.Text.UTF8Encoding(false));
                    writer.Write(file.Content);
                }
        }
        return buffer.ToArray();
    }
}

using System.Text.Json.Nodes;
using OmniBridge.Grains.Interfaces.Stamping;

namespace OmniBridge.Grains.Ports;

/// <summary>
/// The optional intelligence step of a workflow (docs/architecture.md, "Workflows"): analyses the items and returns, per
/// item, a JSON object merged into the record's intelligence_data. Off unless configured.
/// </summary>
public interface IIntelligenceAnalyzer
{
    /// <summary>False when no analyzer is configured: the step is then skipped.</summary>
    bool IsConfigured { get; }

    /// <summary>One object (or null) per item, in order.</summary>
    Task<IReadOnlyList<JsonObject?>> AnalyzeAsync(IReadOnlyList<StampCommand> items, CancellationToken cancellationToken);
}

/// <summary>The default: no intelligence service.</summary>
public sealed class NoIntelligence : IIntelligenceAnalyzer
{
    public bool IsConfigured => false;

    public Task<IReadOnlyList<JsonObject?>> AnalyzeAsync(IReadOnlyList<StampCommand> items, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JsonObject?>>(new JsonObject?[items.Count]);
}

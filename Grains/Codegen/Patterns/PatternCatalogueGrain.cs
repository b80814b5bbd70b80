using OmniBridge.Grains.Interfaces.Codegen;
using Orleans.Concurrency;
using Orleans.GrainDirectory;

namespace OmniBridge.Grains.Codegen.Patterns;

/// <summary>The catalogue behind the API (docs/patterns.md): pure computation over a fixed catalogue, so any activation anywhere answers.</summary>
[StatelessWorker]
[Reentrant]
[GrainDirectory(GrainDirectoryName = WorkerDirectory.Name)]
public sealed class PatternCatalogueGrain : Grain, IPatternCatalogueGrain
{
    public Task<IReadOnlyList<PatternMatch>> MatchAsync(PatternQuery query) => Task.FromResult(PatternCatalogue.Match(query));
}

using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;
using Orleans.Concurrency;
using Orleans.GrainDirectory;

namespace OmniBridge.Grains.Codegen;

/// <summary>Renders and validates parts of node packages; stateless, so a generation's stages spread over free activations.</summary>
[StatelessWorker]
[GrainDirectory(GrainDirectoryName = WorkerDirectory.Name)]
public sealed class CodegenWorkerGrain(PackageRenderer renderer, PackageValidation validation) : Grain, ICodegenWorkerGrain
{
    public Task<IReadOnlyList<GeneratedFile>> RenderAsync(NodeRequirements requirements, string stage) =>
        Task.FromResult(renderer.Render(NodePlan.For(requirements), stage));

    public Task<PackageFindings> ValidateAsync(NodeRequirements requirements, IReadOnlyList<GeneratedFile> files, string level) =>
        validation.ValidateAsync(NodePlan.For(requirements), files, level);
}

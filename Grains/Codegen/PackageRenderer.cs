using OmniBridge.Grains.Interfaces.Codegen;

namespace OmniBridge.Grains.Codegen;

/// <summary>Renders the files of one stage of a node package from its plan (the template strategy).</summary>
public sealed class PackageRenderer(NodeTemplates templates)
{
    public IReadOnlyList<GeneratedFile> Render(NodePlan plan, string stage)
    {
        var files = PackageLayout.FilesOf.GetValueOrDefault(stage) ?? throw new ArgumentException($"stage {stage} renders no files", nameof(stage));
        var model = TemplateModel.Of(plan);
        return [.. files.Select(path => new GeneratedFile(path, templates.Render(path, model)))];
    }

    /// <summary>The whole package, every stage at once (benchmarks and the LLM's starting point).</summary>
    public IReadOnlyList<GeneratedFile> RenderAll(NodePlan plan) =>
        PackageLayout.InOrder(PackageLayout.FilesOf.Keys.SelectMany(stage => Render(plan, stage)), f => f.Path);
}

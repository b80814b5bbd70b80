using OmniBridge.Grains.Interfaces.Codegen;
using Orleans.Concurrency;

namespace OmniBridge.Grains.Interfaces;

/// <summary>
/// One code generation (docs/protocol.md, "Code generation"), keyed by its session id: it runs the stages, keeps its status in
/// grain storage (so it outlives the silo it ran on) and hands out the package once completed.
/// </summary>
public interface ICodegenSessionGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Generates the package and returns the finished session. Asking again for a session that
    /// exists returns it as it is (after it finishes): a retried call never generates twice.
    /// </summary>
    /// <exception cref="Codegen.CodegenRequestException">The requirements or options are refused; nothing was started.</exception>
    Task<CodegenSessionView> GenerateAsync(GenerationRequest request);

    /// <summary>The session as it is now, while it runs too; status None when it was never started.</summary>
    [AlwaysInterleave]
    Task<CodegenSessionView> GetAsync();
}

/// <summary>
/// Renders and checks parts of node packages. Stateless: the stages of a generation run on as many
/// activations, on as many silos, as are free. Call it with key 0.
/// </summary>
public interface ICodegenWorkerGrain : IGrainWithIntegerKey
{
    /// <summary>The files of one stage (parse_contract, generate_model, generate_validator, generate_test, package_node).</summary>
    Task<IReadOnlyList<GeneratedFile>> RenderAsync(NodeRequirements requirements, string stage);

    /// <summary>The validation pipeline on a package at a level: errors (the package fails) and notes.</summary>
    Task<PackageFindings> ValidateAsync(NodeRequirements requirements, IReadOnlyList<GeneratedFile> files, string level);
}

/// <summary>What validating a package found.</summary>
[GenerateSerializer, Immutable]
public sealed record class PackageFindings(
    [property: Id(0)] IReadOnlyList<string> Errors,
    [property: Id(1)] IReadOnlyList<string> Notes);

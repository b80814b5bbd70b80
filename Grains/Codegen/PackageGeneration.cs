using System.Diagnostics;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Grains.Codegen;

/// <summary>Where a generation reports what it is doing: the session, which shows it to readers and keeps its events.</summary>
public interface IGenerationProgress
{
    /// <summary>The generation reached <paramref name="stage"/>, <paramref name="progress"/> of the way (0 to 1).</summary>
    void Moved(string stage, double progress);
}

/// <summary>
/// The stages of one generation (docs/protocol.md, "Code generation"): parse the contract (plan the node: variant, mixins,
/// subcontracts), then the models, the node with its validation and the tests, rendered in parallel
/// on stateless workers (or by the language model), then the validation pipeline (and, for hybrid,
/// the model's refinement kept only if it validates as well), then the package. The session grain
/// keeps the state and the resumption; this is the work.
/// </summary>
public sealed class PackageGeneration(LlmGeneration llm)
{
    /// <summary>Makes the package <paramref name="request"/> asks for, telling <paramref name="progress"/> of each stage and event on the way.</summary>
    public async Task<GenerationResult> ProduceAsync(Guid sessionId, GenerationRequest request, ICodegenWorkerGrain worker, IGenerationProgress progress)
    {
        var started = Stopwatch.GetTimestamp();
        var requirements = request.Requirements;
        var plan = NodePlan.For(requirements);
        var notes = new List<string>();

        var strategy = Resolve(request.Strategy, plan, notes);

        IReadOnlyList<GeneratedFile> files;
        progress.Moved(PackageLayout.GenerateModel, PackageLayout.Fraction(PackageLayout.GenerateModel));
        if (strategy == CodegenStrategies.Llm)
        {
            files = await llm.GenerateAsync(plan);
        }
        else
        {
            // The contract, then the models, the node and the tests in parallel, each on a free worker.
            var parts = await Task.WhenAll(new[] { PackageLayout.ParseContract, PackageLayout.GenerateModel, PackageLayout.GenerateValidator, PackageLayout.GenerateTest, PackageLayout.PackageNode }
                .Select(stage => worker.RenderAsync(requirements, stage)));
            files = [.. parts.SelectMany(p => p)];
        }
        progress.Moved(PackageLayout.ValidateQuality, PackageLayout.Fraction(PackageLayout.ValidateQuality));
        var findings = await worker.ValidateAsync(requirements, files, request.ValidationLevel);

        if (strategy == CodegenStrategies.Hybrid)
        {
            // Refine the template's node with the model; keep the refinement only if it validates as well.
            try
            {
                var refined = await llm.RefineAsync(plan, files);
                var refinedFindings = await worker.ValidateAsync(requirements, refined, request.ValidationLevel);
                if (refinedFindings.Errors.Count == 0 || refinedFindings.Errors.Count <= findings.Errors.Count && findings.Errors.Count > 0)
                    (files, findings) = (refined, refinedFindings);
                else notes.Add($"the language model's refinement was dropped: it failed validation ({refinedFindings.Errors[0]}); the template result is kept");
            }
            catch (LanguageModelException e)
            {
                notes.Add($"the language model's refinement was skipped ({e.Message}); the template result is kept");
            }
        }
        progress.Moved(PackageLayout.PackageNode, PackageLayout.Fraction(PackageLayout.PackageNode));
        return Assemble(sessionId, plan, strategy, files, findings, request.ValidationLevel, notes, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>The strategy a request's strategy comes to here: auto picks hybrid for complex nodes when a model is configured; hybrid without one runs as template.</summary>
    public string Resolve(string requested, NodePlan plan, List<string> notes)
    {
        var strategy = requested switch
        {
            CodegenStrategies.Auto => llm.Available && Complex(plan) ? CodegenStrategies.Hybrid : CodegenStrategies.Template,
            _ => requested,
        };
        if (strategy == CodegenStrategies.Hybrid && !llm.Available)
        {
            notes.Add("no language model is configured: hybrid ran as template");
            strategy = CodegenStrategies.Template;
        }
        return strategy;
    }

    /// <summary>The finished generation, as /generate answers it and a run's package step makes it.</summary>
    public static GenerationResult Assemble(Guid sessionId, NodePlan plan, string strategy, IReadOnlyList<GeneratedFile> files, PackageFindings findings,
        string validationLevel, IReadOnlyList<string> notes, double milliseconds) => new()
        {
            SessionId = sessionId,
            NodeName = plan.ClassName,
            ServiceName = plan.Requirements.ServiceName,
            StrategyUsed = strategy,
            GenerationTimeMs = milliseconds,
            ValidationPassed = findings.Errors.Count == 0,
            ValidationErrors = findings.Errors,
            ValidationLevel = validationLevel,
            Files = PackageLayout.InOrder(files, f => f.Path),
            Variant = plan.Variant,
            Mixins = plan.Mixins,
            Subcontracts = plan.Subcontracts,
            // The llm strategy's model was shown the patterns (LlmGeneration), but nothing makes it keep them.
            PatternsApplied = strategy == CodegenStrategies.Llm ? [] : plan.Patterns,
            Notes = [.. notes, .. findings.Notes],
        };

    /// <summary>What auto sends to the model as well: orchestration, learned or analytical logic, or many operations.</summary>
    static bool Complex(NodePlan plan) =>
        plan.NodeType == "orchestrator" || plan.Variant is VariantSelection.MlInference or VariantSelection.Analytics or VariantSelection.Workflow
        || plan.Operations.Count >= 6;
}

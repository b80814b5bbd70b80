using System.Diagnostics;
using OmniBridge.Grains.Codegen.Quorum;
using OmniBridge.Grains.Interfaces;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;
using OmniBridge.Grains.Ports;
using Orleans.Concurrency;
using Orleans.GrainDirectory;

namespace OmniBridge.Grains.Codegen.Runs;

/// <summary>
/// An agent of a run (docs/runs.md, "Stages"): one contract's step of one stage, made with the same renderer, language
/// model and validation pipeline as /generate, so that a run's package is the package /generate makes for the same
/// requirements. Its context package gives it the dependencies' types (which the request model names) and the limits
/// it runs under: the step timeout is enforced here as well as by the coordinator. Reentrant: it keeps no state, and a
/// validation batch waiting on python3 for half a second must not hold the millisecond generation steps of other
/// contracts behind it (a stateless worker has one activation per core, each taking one call at a time otherwise).
/// </summary>
[StatelessWorker]
[Reentrant]
[GrainDirectory(GrainDirectoryName = WorkerDirectory.Name)]
public sealed class CodegenAgentGrain(PackageRenderer renderer, PackageValidation validation, LlmGeneration llm, QuorumReview quorum) : Grain, ICodegenAgentGrain
{
    public async Task<StepOutcome> ExecuteAsync(StepAssignment assignment, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        using var limit = Limit(assignment, cancellationToken);
        try
        {
            var outcome = await StepAsync(assignment, limit.Token);
            return outcome with { DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds };
        }
        catch (CodegenRequestException e)
        {
            return Failed(e.Code, e.Message, started);
        }
        catch (LanguageModelException e)
        {
            return Failed(ErrorCodes.LlmUnavailable, $"the language model could not generate the package: {e.Message}", started);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Failed(ErrorCodes.StepFailed, $"the step took longer than its {assignment.Context.Limits.StepTimeoutMs} ms", started);
        }
    }

    public async Task<IReadOnlyList<StepOutcome>> ValidateAsync(IReadOnlyList<StepAssignment> assignments, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        if (assignments.Count == 0) return [];
        using var limit = Limit(assignments[0], cancellationToken);
        var packages = assignments.Select(a => AsPackaged(a, Plan(a))).ToList();
        var findings = await validation.ValidateManyAsync([.. assignments.Select((a, i) => (Plan(a), packages[i]))], assignments[0].ValidationLevel, limit.Token);
        // The quorum, when the run asked for it, votes on each package at once: its verdict is part of the validation.
        var outcomes = await Task.WhenAll(assignments.Select((a, i) => quorum.ReviewAsync(new StepOutcome { Errors = findings[i].Errors, Notes = findings[i].Notes }, a, limit.Token)));
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        return [.. assignments.Select((a, i) => outcomes[i] with { QualityScore = QualityScore.Of(packages[i], outcomes[i].Errors), DurationMs = ms })];
    }

    /// <summary>
    /// The package as its last stage will make it: the files made so far and those package_node adds (its README), so
    /// that validation judges what is shipped, as /generate's validation does.
    /// </summary>
    IReadOnlyList<GeneratedFile> AsPackaged(StepAssignment a, NodePlan plan) =>
        [.. a.Files, .. renderer.Render(plan, PackageLayout.PackageNode).Where(f => !a.Files.Any(made => made.Path == f.Path))];

    async Task<StepOutcome> StepAsync(StepAssignment a, CancellationToken cancellationToken)
    {
        var plan = Plan(a);
        switch (a.Stage)
        {
            case PackageLayout.ParseContract:
                // The contract's requirements, checked by the rules /generate applies before it starts.
                RequirementsRules.Require(new GenerationRequest { Requirements = a.Requirements, Strategy = a.Strategy, ValidationLevel = a.ValidationLevel });
                return new StepOutcome { Files = renderer.Render(plan, a.Stage), NodeName = plan.ClassName };
            case PackageLayout.GenerateModel when a.Strategy == CodegenStrategies.Llm:
                // The model writes the whole package at once; the later generation steps find their files made.
                return new StepOutcome { Files = [.. (await llm.GenerateAsync(plan, cancellationToken)).Where(f => f.Path != "contract.yaml")], NodeName = plan.ClassName };
            case PackageLayout.GenerateValidator or PackageLayout.GenerateTest when a.Strategy == CodegenStrategies.Llm:
                return new StepOutcome { NodeName = plan.ClassName };
            case PackageLayout.ValidateQuality:
                return (await ValidateAsync([a], cancellationToken))[0];
            default:
                return new StepOutcome { Files = renderer.Render(plan, a.Stage), NodeName = plan.ClassName };
        }
    }

    static NodePlan Plan(StepAssignment a) => NodePlan.For(a.Requirements) with { Upstream = a.Context.TypeRegistry };

    static CancellationTokenSource Limit(StepAssignment a, CancellationToken cancellationToken)
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (a.Context.Limits.StepTimeoutMs > 0) limit.CancelAfter(a.Context.Limits.StepTimeoutMs);
        return limit;
    }

    static StepOutcome Failed(string code, string message, long started) =>
        new() { FailureCode = code, Failure = message, DurationMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds };
}

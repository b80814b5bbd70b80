using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;

namespace OmniBridge.Grains.Codegen.Quorum;

/// <summary>
/// The quorum as a stage of validation (docs/intelligence.md, "What a verdict does"): a failed vote fails the package's
/// validation with one error; quorum_unavailable fails it only when the request says quorum.required, and is otherwise
/// a note. The verdict itself is kept with the result.
/// </summary>
public sealed class QuorumReview(AiQuorum quorum)
{
    /// <summary>A finished generation with the quorum's verdict, when the request enabled it.</summary>
    public async Task<GenerationResult> ReviewAsync(GenerationResult result, NodeRequirements requirements, QuorumRequest? request, CancellationToken cancellationToken = default)
    {
        if (request is not { Enabled: true }) return result;
        var verdict = await quorum.VoteAsync(QuorumBrief.Of(requirements, result.NodeName, result.Files, result.ValidationErrors), cancellationToken);
        var problem = Problem(verdict, request);
        return result with
        {
            Quorum = verdict,
            ValidationPassed = result.ValidationPassed && problem is null,
            ValidationErrors = problem is null ? result.ValidationErrors : [.. result.ValidationErrors, problem],
            Notes = Note(verdict, request) is { } note ? [.. result.Notes, note] : result.Notes,
        };
    }

    /// <summary>A run's validate_quality outcome with the quorum's verdict, when the run enabled it.</summary>
    public async Task<StepOutcome> ReviewAsync(StepOutcome outcome, StepAssignment assignment, CancellationToken cancellationToken = default)
    {
        if (assignment.Quorum is not { Enabled: true } request || outcome.FailureCode is not null) return outcome;
        var plan = NodePlan.For(assignment.Requirements);
        var verdict = await quorum.VoteAsync(QuorumBrief.Of(assignment.Requirements, plan.ClassName, assignment.Files, outcome.Errors), cancellationToken);
        return outcome with
        {
            Quorum = verdict,
            Errors = Problem(verdict, request) is { } problem ? [.. outcome.Errors, problem] : outcome.Errors,
            Notes = Note(verdict, request) is { } note ? [.. outcome.Notes, note] : outcome.Notes,
        };
    }

    static string? Problem(QuorumResult verdict, QuorumRequest request) => verdict.Status switch
    {
        QuorumStatuses.Failed => $"ai_quorum: consensus {verdict.Consensus:0.######} is below the threshold {verdict.Threshold:0.######}",
        QuorumStatuses.Unavailable when request.Required => "ai_quorum: " + Unavailable(verdict) + "; quorum.required makes this a failure",
        _ => null,
    };

    static string? Note(QuorumResult verdict, QuorumRequest request) =>
        verdict.Status == QuorumStatuses.Unavailable && !request.Required ? "ai_quorum: " + Unavailable(verdict) + "; not required, so validation does not depend on it" : null;

    static string Unavailable(QuorumResult verdict) => verdict.TotalWeight == 0
        ? "quorum_unavailable: no quorum models are configured (Codegen:Quorum:Models)"
        : $"quorum_unavailable: the models that answered weigh {verdict.ParticipatingWeight:0.###} of {verdict.TotalWeight:0.###}, below the minimum {verdict.MinParticipatingWeight:0.###}";
}

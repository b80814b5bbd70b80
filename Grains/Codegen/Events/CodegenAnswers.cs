using System.Text.Json.Nodes;
using OmniBridge.Grains.Events;
using OmniBridge.Grains.Stamping;

namespace OmniBridge.Grains.Codegen.Events;

/// <summary>
/// Answers a codegen request in the original's response schema (docs/codegen-events.md, "Responses"): the same correlation_id and
/// session_id, the step's result, <c>processing_time_ms</c>, <c>timestamp</c> and <c>schema_version</c> "1.0". The same request
/// always gets the same result (only the time fields differ).
/// </summary>
public sealed class CodegenAnswers(CodeReview review, TimeProvider clock)
{
    /// <param name="elapsed">Milliseconds since the request was received, read when the answer is complete.</param>
    public async Task<JsonObject> AnswerAsync(CodegenRequest request, Func<double> elapsed, CancellationToken cancellationToken = default)
    {
        var answer = new JsonObject
        {
            ["correlation_id"] = request.CorrelationId.ToString("D"),
            ["session_id"] = request.SessionId.ToString("D"),
        };
        switch (request.Step)
        {
            case CodegenTopics.Analyze:
                Analyze(request, answer);
                break;
            case CodegenTopics.Validate:
                await ValidateAsync(request, answer, cancellationToken);
                break;
            case CodegenTopics.Pattern:
                var (matches, total) = PatternAnswer.Match(request.Text("node_description"), request.Text("node_type"), request.Body["limit"]!.GetValue<int>());
                answer["pattern_result"] = matches;
                answer["total_matches"] = total;
                break;
            case CodegenTopics.Mixin:
                var advice = MixinAdvice.Recommend(request.Texts("requirements"), request.Text("node_type"), request.Texts("existing_mixins"));
                answer["mixin_recommendations"] = advice;
                answer["total_recommendations"] = advice.Count;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(request), request.Step, "not a codegen step");
        }
        answer["processing_time_ms"] = (long)Math.Round(elapsed());
        answer["timestamp"] = StampTimestamp.Format(clock.GetUtcNow().UtcDateTime);
        answer["schema_version"] = "1.0";
        return answer;
    }

    static void Analyze(CodegenRequest request, JsonObject answer)
    {
        var derived = PrdAnalysis.Derive(request.Text("prd_content"), request.Body["workspace_context"] as JsonObject);
        var r = derived.Requirements;
        var plan = NodePlan.For(r);
        var scores = new JsonObject();
        foreach (var (variant, score) in plan.VariantScores.OrderBy(s => s.Key, StringComparer.Ordinal)) scores[variant] = score;
        answer["analysis_result"] = new JsonObject
        {
            ["analysis_type"] = request.Text("analysis_type"),
            ["node_type"] = r.NodeType,
            ["service_name"] = r.ServiceName,
            ["node_name"] = plan.ClassName,
            ["domain"] = r.Domain,
            ["business_description"] = r.BusinessDescription,
            ["operations"] = new JsonArray([.. r.Operations.Select(o => (JsonNode)o)]),
            ["features"] = new JsonArray([.. r.Features.Select(f => (JsonNode)f)]),
            ["variant"] = plan.Variant,
            ["variant_scores"] = scores,
            ["mixins"] = new JsonArray([.. plan.Mixins.Select(m => (JsonNode)m)]),
            ["subcontracts"] = new JsonArray([.. plan.Subcontracts.Select(s => (JsonNode)s)]),
            ["notes"] = new JsonArray([.. derived.Notes.Select(n => (JsonNode)n)]),
        };
        answer["confidence"] = derived.Confidence;
    }

    async Task ValidateAsync(CodegenRequest request, JsonObject answer, CancellationToken cancellationToken)
    {
        var contracts = request.Body["contracts"] is JsonArray list ? list.OfType<JsonObject>().ToList() : [];
        var type = request.Text("validation_type");
        var result = await review.ReviewAsync(request.Text("code_content"), request.Text("node_type"), contracts, type, cancellationToken);
        answer["validation_result"] = new JsonObject
        {
            ["validation_type"] = type,
            ["node_type"] = request.Text("node_type"),
            ["checks"] = new JsonArray([.. result.Checks.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["passed"] = c.Passed,
                ["detail"] = c.Detail,
            })]),
            ["errors"] = new JsonArray([.. result.Errors.Select(e => (JsonNode)e)]),
            ["warnings"] = new JsonArray([.. result.Warnings.Select(w => (JsonNode)w)]),
        };
        answer["quality_score"] = result.QualityScore;
        answer["onex_compliance_score"] = result.OnexComplianceScore;
        answer["is_valid"] = result.IsValid;
    }
}

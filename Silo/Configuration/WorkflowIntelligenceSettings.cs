using OmniBridge.Client.Configuration;

namespace OmniBridge.Silo.Configuration;

/// <summary>
/// The model behind workflows' intelligence step (docs/intelligence.md, "Workflow intelligence"): any OpenAI-compatible
/// chat endpoint (WORKFLOW_INTELLIGENCE_ENDPOINT, _MODEL, _API_KEY) and the step's deadline (WORKFLOW_INTELLIGENCE_DEADLINE_MS).
/// Without an endpoint the step is skipped.
/// </summary>
public sealed record class WorkflowIntelligenceSettings
{
    public Uri? Endpoint { get; init; }
    public string Model { get; init; } = "gpt-4o-mini";
    public string? ApiKey { get; init; }
    /// <summary>The whole step's limit, every item included; past it the step is degraded.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMilliseconds(5000);

    public static WorkflowIntelligenceSettings From(IConfiguration config)
    {
        var defaults = new WorkflowIntelligenceSettings();
        return new WorkflowIntelligenceSettings
        {
            Endpoint = Setting.HttpAddress(config, "WORKFLOW_INTELLIGENCE_ENDPOINT", "expected an http(s) address such as http://127.0.0.1:11434/v1"),
            Model = Setting.Text(config, "WORKFLOW_INTELLIGENCE_MODEL", defaults.Model),
            ApiKey = Setting.Text(config, "WORKFLOW_INTELLIGENCE_API_KEY"),
            // Within the workflow's own 30 s processing budget, with room for the other steps.
            Deadline = TimeSpan.FromMilliseconds(Setting.WholeNumber(config, "WORKFLOW_INTELLIGENCE_DEADLINE_MS", 5000, 1, 20_000, "milliseconds")),
        };
    }
}

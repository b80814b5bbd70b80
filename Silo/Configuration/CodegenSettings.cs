using OmniBridge.Client.Configuration;

namespace OmniBridge.Silo.Configuration;

/// <summary>
/// Code generation (docs/protocol.md, "Code generation"): the compiled-template cache, the Python used for syntax checks, and
/// the optional OpenAI-compatible chat endpoint of the llm and hybrid strategies.
/// </summary>
public sealed record class CodegenSettings
{
    /// <summary>Base address of an OpenAI-compatible API, e.g. https://api.openai.com/v1 (CODEGEN_LLM_ENDPOINT); null: no LLM.</summary>
    public Uri? LlmEndpoint { get; init; }
    public string LlmModel { get; init; } = "gpt-4o-mini";
    /// <summary>Sent as a bearer token (CODEGEN_LLM_API_KEY); from the environment or a secret, never the repository.</summary>
    public string? LlmApiKey { get; init; }
    public TimeSpan LlmTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public int TemplateCacheSize { get; init; } = 64;
    public string Python { get; init; } = "python3";
    /// <summary>Steps in flight at once in one generation run (CODEGEN_MAX_PARALLEL).</summary>
    public int MaxParallel { get; init; } = 8;
    /// <summary>The token budget of a run agent's context package (CODEGEN_CONTEXT_TOKENS).</summary>
    public int ContextTokens { get; init; } = 8000;
    /// <summary>How often an unfinished run's reminder resumes it on a live silo (CODEGEN_RUN_RESUME_SECONDS).</summary>
    public TimeSpan RunResumeEvery { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>The AI quorum's models and rule (Codegen:Quorum).</summary>
    public QuorumSettings Quorum { get; init; } = new();

    public static CodegenSettings From(IConfiguration config)
    {
        var defaults = new CodegenSettings();
        return new CodegenSettings
        {
            LlmEndpoint = Setting.HttpAddress(config, "CODEGEN_LLM_ENDPOINT", "expected an http(s) address such as https://api.openai.com/v1"),
            LlmModel = Setting.Text(config, "CODEGEN_LLM_MODEL", defaults.LlmModel),
            LlmApiKey = Setting.Text(config, "CODEGEN_LLM_API_KEY"),
            LlmTimeout = TimeSpan.FromSeconds(Setting.WholeNumber(config, "CODEGEN_LLM_TIMEOUT_SECONDS", 60, 1, 600, "seconds")),
            TemplateCacheSize = (int)Setting.WholeNumber(config, "CODEGEN_TEMPLATE_CACHE_SIZE", defaults.TemplateCacheSize, 1, 4096),
            Python = Setting.Text(config, "CODEGEN_PYTHON", defaults.Python),
            MaxParallel = (int)Setting.WholeNumber(config, "CODEGEN_MAX_PARALLEL", defaults.MaxParallel, 1, 256),
            ContextTokens = (int)Setting.WholeNumber(config, "CODEGEN_CONTEXT_TOKENS", defaults.ContextTokens, 500, 1_000_000, "tokens"),
            RunResumeEvery = TimeSpan.FromSeconds(Setting.WholeNumber(config, "CODEGEN_RUN_RESUME_SECONDS", 10, 1, 3600, "seconds")),
            Quorum = QuorumSettings.From(config),
        };
    }
}

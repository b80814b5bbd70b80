namespace OmniBridge.Grains.Codegen;

/// <summary>Code generation settings (CODEGEN_* in the environment).</summary>
public sealed class CodegenOptions
{
    /// <summary>Compiled templates kept (CODEGEN_TEMPLATE_CACHE_SIZE).</summary>
    public int TemplateCacheSize { get; set; } = 64;

    /// <summary>The Python interpreter for syntax checks (CODEGEN_PYTHON); none found: the result says Python was not checked.</summary>
    public string Python { get; set; } = "python3";

    /// <summary>The token budget of the llm strategy's prompt (CODEGEN_CONTEXT_TOKENS, as for a run agent's context).</summary>
    public int LlmPromptTokens { get; set; } = 8000;

    /// <summary>How long a syntax check may take.</summary>
    public TimeSpan PythonTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often an unfinished session's reminder resumes it on a live silo.</summary>
    public TimeSpan ResumeEvery { get; set; } = TimeSpan.FromMinutes(1);
}

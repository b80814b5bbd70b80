namespace OmniBridge.Grains.Ports;

/// <summary>
/// A chat model behind an OpenAI-compatible endpoint, for the llm and hybrid generation strategies.
/// Off unless configured (CODEGEN_LLM_ENDPOINT).
/// </summary>
public interface ILanguageModel
{
    bool Available { get; }

    /// <summary>The assistant's answer to a system and a user message.</summary>
    /// <exception cref="LanguageModelException">The endpoint failed, timed out or answered nonsense.</exception>
    Task<string> CompleteAsync(string system, string user, CancellationToken cancellationToken = default);
}

/// <summary>The language model could not answer.</summary>
public sealed class LanguageModelException : Exception
{
    public LanguageModelException() { }

    public LanguageModelException(string message) : base(message) { }

    public LanguageModelException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The call ran out of its own time (rather than failing).</summary>
    public bool TimedOut { get; init; }
}

/// <summary>No language model configured: only the template strategy runs.</summary>
public sealed class NoLanguageModel : ILanguageModel
{
    public bool Available => false;

    public Task<string> CompleteAsync(string system, string user, CancellationToken cancellationToken = default) =>
        throw new LanguageModelException("no language model is configured (CODEGEN_LLM_ENDPOINT)");
}

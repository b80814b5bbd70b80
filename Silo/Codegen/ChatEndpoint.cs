namespace OmniBridge.Silo.Codegen;

/// <summary>
/// Where one OpenAI-compatible chat model is and how to call it: the llm strategy's, each quorum model's and the workflow
/// analyzer's are all of this kind, each served by its own <see cref="OpenAiChatModel"/>.
/// </summary>
/// <param name="BaseAddress">e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1; the client posts to {BaseAddress}/chat/completions.</param>
/// <param name="ApiKey">Sent as a bearer token; null for a server that needs none.</param>
/// <param name="Timeout">One call's limit.</param>
public sealed record class ChatEndpoint(Uri BaseAddress, string Model, string? ApiKey, TimeSpan Timeout)
{
    /// <summary>The HttpClient name every chat model's calls go through (pooled connections, no client-level timeout).</summary>
    public const string HttpClientName = "omnibridge-chat-models";

    public Uri Completions { get; } = new(BaseAddress.ToString().TrimEnd('/') + "/chat/completions");
}

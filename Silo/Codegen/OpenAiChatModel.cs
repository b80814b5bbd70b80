using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniBridge.Grains.Ports;

namespace OmniBridge.Silo.Codegen;

/// <summary>
/// A chat model behind an OpenAI-compatible endpoint: POST {endpoint}/chat/completions with the
/// model, a system and a user message; the answer is choices[0].message.content. One instance per
/// configured model (the llm strategy, each quorum model, the workflow analyzer), all on one pool of connections.
/// </summary>
public sealed class OpenAiChatModel(IHttpClientFactory clients, ChatEndpoint endpoint) : ILanguageModel
{
    public bool Available => true;

    public ChatEndpoint Endpoint => endpoint;

    public async Task<string> CompleteAsync(string system, string user, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Completions)
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = endpoint.Model,
                ["temperature"] = 0.2,
                ["messages"] = new JsonArray(
                    new JsonObject { ["role"] = "system", ["content"] = system },
                    new JsonObject { ["role"] = "user", ["content"] = user }),
            }),
        };
        if (endpoint.ApiKey is { } key) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(endpoint.Timeout);
        try
        {
            using var response = await clients.CreateClient(ChatEndpoint.HttpClientName).SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode) throw new LanguageModelException($"the endpoint answered {(int)response.StatusCode}");
            using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token);
            return answer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()
                ?? throw new LanguageModelException("the endpoint's answer has no content");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LanguageModelException($"no answer within {endpoint.Timeout.TotalSeconds:0.###} s") { TimedOut = true };
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or IndexOutOfRangeException or InvalidOperationException)
        {
            throw new LanguageModelException("the endpoint could not be used: " + e.Message, e);
        }
    }
}

using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using OmniBridge.Grains.Ports;
using OmniBridge.Silo.Configuration;

namespace OmniBridge.Silo.Codegen;

/// <summary>
/// A chat model behind an OpenAI-compatible endpoint: POST {endpoint}/chat/completions with the
/// model, a system and a user message; the answer is choices[0].message.content.
/// </summary>
public sealed class OpenAiChatModel(HttpClient http, CodegenSettings settings) : ILanguageModel
{
    public bool Available => true;

    public async Task<string> CompleteAsync(string system, string user, CancellationToken cancellationToken = default)
    {
        var endpoint = settings.LlmEndpoint!.ToString().TrimEnd('/') + "/chat/completions";
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = settings.LlmModel,
                ["temperature"] = 0.2,
                ["messages"] = new JsonArray(
                    new JsonObject { ["role"] = "system", ["content"] = system },
                    new JsonObject { ["role"] = "user", ["content"] = user }),
            }),
        };
        if (settings.LlmApiKey is { } key) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.LlmTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            if (!response.IsSuccessStatusCode) throw new LanguageModelException($"the endpoint answered {(int)response.StatusCode}");
            using var answer = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(timeout.Token), cancellationToken: timeout.Token);
            return answer.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()
                ?? throw new LanguageModelException("the endpoint's answer has no content");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new LanguageModelException($"no answer within {settings.LlmTimeout.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or KeyNotFoundException or IndexOutOfRangeException or InvalidOperationException)
        {
            throw new LanguageModelException("the endpoint could not be used: " + e.Message, e);
        }
    }
}

using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OmniBridge.Tests.Api.Codegen;

/// <summary>
/// An OpenAI-compatible chat endpoint in the test process (POST /v1/chat/completions), answering
/// what the test tells it to, and remembering what it was asked.
/// </summary>
public sealed class FakeChatEndpoint : IAsyncDisposable
{
    readonly WebApplication app;

    /// <summary>The assistant's content for a request (its system and user messages), or null to answer HTTP 500.</summary>
    public Func<string, string, string?> Answer { get; set; } = (_, _) => null;

    public ConcurrentQueue<(string? Authorization, JsonObject Body)> Requests { get; } = new();

    public string BaseAddress { get; }

    FakeChatEndpoint(WebApplication app, string address) => (this.app, BaseAddress) = (app, address);

    public static async Task<FakeChatEndpoint> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeChatEndpoint? self = null;
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body))!;
            self!.Requests.Enqueue((http.Request.Headers.Authorization.ToString(), body));
            var messages = body["messages"]!.AsArray();
            var content = self.Answer(messages[0]!["content"]!.GetValue<string>(), messages[1]!["content"]!.GetValue<string>());
            if (content is null) return Results.StatusCode(500);
            return Results.Json(new JsonObject
            {
                ["id"] = "chatcmpl-test",
                ["object"] = "chat.completion",
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
                    ["finish_reason"] = "stop",
                }),
            });
        });
        await app.StartAsync();
        self = new FakeChatEndpoint(app, app.Urls.First() + "/v1");
        return self;
    }

    /// <summary>An answer carrying these files, as a model would write it (in a Markdown code fence).</summary>
    public static string Files(params (string Path, string Content)[] files) =>
        "Here is the package:\n```json\n" + JsonSerializer.Serialize(new { files = files.Select(f => new { path = f.Path, content = f.Content }) }) + "\n```";

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

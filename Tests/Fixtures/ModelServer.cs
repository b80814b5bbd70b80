using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OmniBridge.Tests.Fixtures;

/// <summary>How a <see cref="ModelServer"/> answers one chat completion.</summary>
/// <param name="Content">The assistant's content; null: HTTP 500.</param>
/// <param name="Delay">Waited before answering; <see cref="Timeout.InfiniteTimeSpan"/>: never answers (until the caller gives up).</param>
public sealed record class ModelReply(string? Content, TimeSpan Delay = default)
{
    public static ModelReply Vote(bool pass, double confidence, string reasoning = "reviewed", TimeSpan delay = default) =>
        new(new JsonObject { ["vote"] = pass, ["confidence"] = confidence, ["reasoning"] = reasoning }.ToJsonString(), delay);

    public static readonly ModelReply Failing = new((string?)null);

    public static readonly ModelReply Hanging = new("never sent", Timeout.InfiniteTimeSpan);
}

/// <summary>
/// An OpenAI-compatible model server on a loopback port (POST {BaseAddress}/chat/completions), answering as the test sets
/// <see cref="Reply"/>: real HTTP, for the AI quorum, the llm strategy and the workflow analyzer to talk to.
/// </summary>
public sealed class ModelServer : IAsyncDisposable
{
    readonly WebApplication app;
    int requests;

    public ModelReply Reply { get; set; } = ModelReply.Failing;

    /// <summary>The base address to configure, ending in /v1.</summary>
    public string BaseAddress { get; }

    public int Requests => Volatile.Read(ref requests);

    /// <summary>The last user message the server was sent.</summary>
    public string? LastPrompt { get; private set; }

    /// <summary>Every user message the server was sent.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Prompts { get; } = new();

    ModelServer(WebApplication app, string address) => (this.app, BaseAddress) = (app, address);

    public static async Task<ModelServer> StartAsync(ModelReply reply)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ModelServer? self = null;
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted))!;
            Interlocked.Increment(ref self!.requests);
            self.LastPrompt = body["messages"]?[1]?["content"]?.GetValue<string>();
            self.Prompts.Enqueue(self.LastPrompt ?? "");
            var reply = self.Reply;
            try
            {
                if (reply.Delay != TimeSpan.Zero) await Task.Delay(reply.Delay, http.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty;   // the caller gave up
            }
            if (reply.Content is null) return Results.StatusCode(500);
            return Results.Json(new JsonObject
            {
                ["id"] = "chatcmpl-test",
                ["object"] = "chat.completion",
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content },
                    ["finish_reason"] = "stop",
                }),
            });
        });
        await app.StartAsync();
        self = new ModelServer(app, app.Urls.First() + "/v1") { Reply = reply };
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

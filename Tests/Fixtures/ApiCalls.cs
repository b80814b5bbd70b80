using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace OmniBridge.Tests.Fixtures;

/// <summary>Calls the REST API the way a client would, and reads the UnifiedResponse back as JSON.</summary>
public static class ApiCalls
{
    public const string Base = "/api/v1/metadata-stamping";

    public static Task<Reply> PostJsonAsync(this HttpClient http, string path, object body) =>
        http.PostRawAsync(path, JsonSerializer.Serialize(body), "application/json");

    public static async Task<Reply> PostRawAsync(this HttpClient http, string path, string body, string? contentType)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        return await Reply.ReadAsync(await http.PostAsync(path, content));
    }

    public static async Task<Reply> PostBytesAsync(this HttpClient http, string path, byte[] body, string? contentType)
    {
        using var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Reply.ReadAsync(await http.PostAsync(path, content));
    }

    public static async Task<Reply> GetReplyAsync(this HttpClient http, string path) => await Reply.ReadAsync(await http.GetAsync(path));

    /// <summary>Stamps text and returns the record's data.</summary>
    public static async Task<JsonElement> StampAsync(this HttpClient http, string content, string ns, string stampType = "lightweight")
    {
        var reply = await http.PostJsonAsync(Base + "/stamp", new { content, @namespace = ns, options = new { stamp_type = stampType } });
        Assert.True(reply.Status is HttpStatusCode.Created or HttpStatusCode.OK, reply.ToString());
        return reply.Data;
    }
}

/// <summary>An HTTP answer: status, headers and the UnifiedResponse body.</summary>
public sealed class Reply
{
    public required HttpStatusCode Status { get; init; }
    public required HttpResponseMessage Response { get; init; }
    public required string Text { get; init; }
    public required JsonElement Body { get; init; }

    public JsonElement Data => Body.GetProperty("data");
    public string EnvelopeStatus => Body.GetProperty("status").GetString()!;
    public JsonElement FirstError => Body.GetProperty("error")[0];
    public string? ErrorCode => Body.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Array && e.GetArrayLength() > 0 ? e[0].GetProperty("code").GetString() : null;
    public string? ErrorField => FirstError.GetProperty("field").GetString();

    public static async Task<Reply> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonElement body;
        try
        {
            body = JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new Xunit.Sdk.XunitException($"HTTP {(int)response.StatusCode} answered a body that is not JSON: {text[..Math.Min(text.Length, 300)]}");
        }
        return new Reply { Status = response.StatusCode, Response = response, Text = text, Body = body };
    }

    public override string ToString() => $"HTTP {(int)Status}: {Text[..Math.Min(Text.Length, 600)]}";
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

/// <summary>A service with small limits, to see MAX_CONTENT_BYTES and MAX_HASH_STREAM_BYTES refuse bodies over them.</summary>
public sealed class SmallLimitsService : SiloApp
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["MAX_CONTENT_BYTES"] = "4096",
        ["MAX_HASH_STREAM_BYTES"] = "65536",
    };
}

public sealed class LimitTests(SmallLimitsService service) : IClassFixture<SmallLimitsService>
{
    readonly HttpClient http = service.Http;

    [Fact]
    public async Task A_json_body_over_MAX_CONTENT_BYTES_is_413_and_stores_nothing()
    {
        var ns = "limits.json";
        var reply = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content = new string('x', 5000), @namespace = ns });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal("PAYLOAD_TOO_LARGE", reply.ErrorCode);
        Assert.Contains("MAX_CONTENT_BYTES", reply.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty((await http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}")).Data.GetProperty("stamps").EnumerateArray());
    }

    [Fact]
    public async Task A_client_still_sending_a_refused_body_receives_its_413_not_a_reset()
    {
        // Bodies of 100 KiB to 2 MiB against a 4 KiB limit: the refusal is decided at once, while
        // most of the body is still on its way. Each client gets the 413 it was sent.
        foreach (var size in new[] { 100 << 10, 512 << 10, 2 << 20 })
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                using var client = new HttpClient { BaseAddress = service.Address };
                using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"content\": \"" + new string('z', size) + "\"}"));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                return await Reply.ReadAsync(await client.PostAsync(ApiCalls.Base + "/stamp", content));
            }));
            Assert.All(replies, r => Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE"), (r.Status, r.ErrorCode)));
        }
    }

    [Fact]
    public async Task A_request_refused_before_its_body_is_read_gets_its_answer_not_a_reset()
    {
        // Refused for its media type (415) or its method (405) before a byte of a body far over the
        // limit is read: the client, still sending, reads the refusal it was sent.
        foreach (var (method, type, status) in new[] { ("POST", "garbage", HttpStatusCode.UnsupportedMediaType), ("PUT", "application/json", HttpStatusCode.MethodNotAllowed) })
        {
            var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                using var client = new HttpClient { BaseAddress = service.Address };
                using var request = new HttpRequestMessage(new HttpMethod(method), ApiCalls.Base + "/stamp") { Content = new ByteArrayContent(new byte[4 << 20]) };
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
                return await Reply.ReadAsync(await client.SendAsync(request));
            }));
            Assert.All(replies, r => Assert.Equal(status, r.Status));
        }
    }

    [Fact]
    public async Task A_chunked_json_body_over_the_limit_is_413_too()
    {
        var json = Encoding.UTF8.GetBytes("{\"content\": \"" + new string('y', 8000) + "\"}");
        using var content = new StreamContent(new MemoryStream(json));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var reply = await Reply.ReadAsync(await http.PostAsync(ApiCalls.Base + "/batch", content));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal("PAYLOAD_TOO_LARGE", reply.ErrorCode);
    }

    [Fact]
    public async Task A_json_body_under_the_limit_is_fine()
    {
        var reply = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content = new string('x', 3000), @namespace = "limits.ok" });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
    }

    [Fact]
    public async Task A_hash_stream_over_MAX_HASH_STREAM_BYTES_is_413_with_or_without_a_length()
    {
        var declared = await http.PostBytesAsync(ApiCalls.Base + "/hash", new byte[65537], "application/octet-stream");
        using var chunked = new StreamContent(new MemoryStream(new byte[200_000]));
        var streamed = await Reply.ReadAsync(await http.PostAsync(ApiCalls.Base + "/hash", chunked));
        var exact = await http.PostBytesAsync(ApiCalls.Base + "/hash", new byte[65536], "application/octet-stream");

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE"), (declared.Status, declared.ErrorCode));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE"), (streamed.Status, streamed.ErrorCode));
        Assert.Contains("MAX_HASH_STREAM_BYTES", streamed.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, exact.Status);
    }

    [Fact]
    public async Task A_streamed_stamp_over_MAX_HASH_STREAM_BYTES_is_413_and_stores_nothing()
    {
        const string ns = "limits.streamed";
        var declared = await http.PostBytesAsync($"{ApiCalls.Base}/stamp?namespace={ns}", new byte[65537], "application/octet-stream");
        using var chunked = new StreamContent(new MemoryStream(new byte[200_000]));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var streamed = await Reply.ReadAsync(await http.PostAsync($"{ApiCalls.Base}/stamp?namespace={ns}", chunked));

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE"), (declared.Status, declared.ErrorCode));
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, "PAYLOAD_TOO_LARGE"), (streamed.Status, streamed.ErrorCode));
        Assert.Contains("MAX_HASH_STREAM_BYTES", streamed.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty((await http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}")).Data.GetProperty("stamps").EnumerateArray());
        // Larger than MAX_CONTENT_BYTES is fine: the streaming door is bounded by the stream limit alone.
        Assert.Equal(HttpStatusCode.Created, (await http.PostBytesAsync($"{ApiCalls.Base}/stamp?namespace={ns}", new byte[65536], "application/octet-stream")).Status);
    }

    [Fact]
    public async Task A_multipart_upload_over_the_limit_is_413()
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[100_000]), "file", "big.bin" } };
        var reply = await Reply.ReadAsync(await http.PostAsync(ApiCalls.Base + "/hash", form));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, reply.Status);
        Assert.Equal("PAYLOAD_TOO_LARGE", reply.ErrorCode);
    }
}

using System.Net;
using System.Text.Json;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

[Collection(SharedService.Name)]
public sealed class NamespaceEndpointTests(SiloApp service)
{
    readonly HttpClient http = service.Http;
    static string Ns() => "http.ns.t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Pages_walk_every_stamp_newest_first_exactly_once()
    {
        var ns = Ns();
        var created = await http.PostJsonAsync(ApiCalls.Base + "/batch", new { @namespace = ns, items = Enumerable.Range(0, 23).Select(i => new { content = $"doc {i}" }) });
        var expected = created.Data.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("stamp_id").GetString()!).ToHashSet();

        var seen = new List<(string Id, string At)>();
        string? cursor = null;
        do
        {
            var page = await http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}?limit=5" + (cursor is null ? "" : $"&cursor={cursor}"));
            Assert.Equal(HttpStatusCode.OK, page.Status);
            var stamps = page.Data.GetProperty("stamps").EnumerateArray().ToList();
            Assert.True(stamps.Count <= 5);
            seen.AddRange(stamps.Select(s => (s.GetProperty("stamp_id").GetString()!, s.GetProperty("created_at").GetString()!)));
            cursor = page.Data.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(expected, seen.Select(s => s.Id).ToHashSet());
        Assert.Equal(23, seen.Count);
        Assert.Equal(seen.Select(s => s.At).OrderDescending(StringComparer.Ordinal), seen.Select(s => s.At));
    }

    [Fact]
    public async Task Aggregates_follow_the_stamps()
    {
        var ns = Ns();
        await http.PostJsonAsync(ApiCalls.Base + "/batch", new
        {
            @namespace = ns,
            items = new object[]
            {
                new { content = "a", file_path = "x.py" },
                new { content = "bb", file_path = "y.py" },
                new { content_base64 = Convert.ToBase64String(new byte[2000]), file_path = "z.bin" },
            },
        });

        JsonElement aggregates = default;
        await Eventually.TrueAsync(async () =>
        {
            aggregates = (await http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}")).Data.GetProperty("aggregates");
            return aggregates.GetProperty("total_stamps").GetInt64() >= 3;
        }, "the three stamps are folded");

        Assert.Equal(3, aggregates.GetProperty("total_stamps").GetInt64());
        Assert.Equal(2003, aggregates.GetProperty("total_size_bytes").GetInt64());
        Assert.Equal(2, aggregates.GetProperty("content_types").GetProperty("text/plain").GetInt64());
        Assert.Equal(1, aggregates.GetProperty("content_types").GetProperty("application/octet-stream").GetInt64());
        Assert.Equal(2, aggregates.GetProperty("unique_file_types_count").GetInt32());
        Assert.Equal(2, aggregates.GetProperty("size_buckets").GetProperty("under_1kib").GetInt64());
        Assert.Equal(1, aggregates.GetProperty("size_buckets").GetProperty("under_64kib").GetInt64());
        Assert.Equal(3, aggregates.GetProperty("per_minute").EnumerateArray().Sum(m => m.GetProperty("count").GetInt64()));
        Assert.NotEqual(JsonValueKind.Null, aggregates.GetProperty("first_stamp_at").ValueKind);
    }

    [Fact]
    public async Task An_unknown_namespace_is_an_empty_page_with_zero_aggregates()
    {
        var reply = await http.GetReplyAsync($"{ApiCalls.Base}/namespace/{Ns()}");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Empty(reply.Data.GetProperty("stamps").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, reply.Data.GetProperty("next_cursor").ValueKind);
        Assert.Equal(0, reply.Data.GetProperty("aggregates").GetProperty("total_stamps").GetInt64());
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=5&limit=6", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("cursor=AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "cursor")]
    public async Task A_bad_limit_or_a_cursor_not_issued_here_is_a_validation_error(string query, string field)
    {
        var reply = await http.GetReplyAsync($"{ApiCalls.Base}/namespace/{Ns()}?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("VALIDATION_ERROR", reply.ErrorCode);
        Assert.Equal(field, reply.ErrorField);
    }
}

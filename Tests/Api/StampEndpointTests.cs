using System.Net;
using System.Text;
using System.Text.Json;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

[Collection(SharedService.Name)]
public sealed class StampEndpointTests(SiloApp service)
{
    readonly HttpClient http = service.Http;
    static string Ns() => "http.stamp.t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task The_first_stamp_is_201_created_and_the_same_content_again_is_200_with_the_same_record()
    {
        var ns = Ns();
        var first = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content = "print('hi')\n", @namespace = ns, file_path = "hi.py" });
        var again = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content = "print('hi')\n", @namespace = ns, file_path = "other.py" });

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal("success", first.EnvelopeStatus);
        Assert.True(first.Data.GetProperty("created").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.False(again.Data.GetProperty("created").GetBoolean());
        Assert.Equal(first.Data.GetProperty("stamp_id").GetString(), again.Data.GetProperty("stamp_id").GetString());
        Assert.Equal(first.Data.GetProperty("created_at").GetString(), again.Data.GetProperty("created_at").GetString());
        Assert.Equal("hi.py", again.Data.GetProperty("file_path").GetString());
        Assert.Equal(ns, first.Body.GetProperty("metadata").GetProperty("namespace").GetString());
        Assert.Equal("create_stamp", first.Body.GetProperty("metadata").GetProperty("operation").GetString());
    }

    [Fact]
    public async Task The_record_carries_every_field_of_the_spec()
    {
        var opId = Guid.NewGuid().ToString();
        var reply = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new
        {
            content = "héllo wörld",
            @namespace = Ns(),
            file_path = "docs/h.txt",
            content_type = "text/plain; charset=utf-8",
            metadata = new { team = "docs" },
            intelligence_data = new { language = "en", score = 0.9 },
            op_id = opId,
        });

        var data = reply.Data;
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Matches("^[0-9a-f-]{36}$", data.GetProperty("stamp_id").GetString());
        Assert.Equal(CanonicalContent.HashOf("héllo wörld"), data.GetProperty("file_hash").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount("héllo wörld"), data.GetProperty("file_size").GetInt64());
        Assert.Equal("text/plain; charset=utf-8", data.GetProperty("content_type").GetString());
        Assert.Equal("lightweight", data.GetProperty("stamp_type").GetString());
        Assert.Equal(opId, data.GetProperty("op_id").GetString());
        Assert.Equal(1, data.GetProperty("version").GetInt32());
        Assert.Equal("0.1", data.GetProperty("metadata_version").GetString());
        Assert.Equal("1.0", data.GetProperty("protocol_version").GetString());
        Assert.Equal("en", data.GetProperty("intelligence_data").GetProperty("language").GetString());
        Assert.Equal("docs", data.GetProperty("metadata").GetProperty("team").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", data.GetProperty("created_at").GetString());
        Assert.StartsWith(data.GetProperty("stamp").GetString() + "\n", data.GetProperty("stamped_content").GetString(), StringComparison.Ordinal);
        Assert.Contains($"ts={data.GetProperty("created_at").GetString()}", data.GetProperty("stamp").GetString(), StringComparison.Ordinal);
        Assert.True(data.GetProperty("performance_metrics").GetProperty("execution_time_ms").GetDouble() > 0);
        Assert.Matches("^[ABC]$", data.GetProperty("performance_metrics").GetProperty("performance_grade").GetString());
    }

    [Fact]
    public async Task The_stamped_content_is_the_stamp_line_then_the_content_as_sent_whatever_characters_it_holds()
    {
        var ns = Ns();
        const string content = "quote \" backslash \\ tab \t bell \u0007 <script> & emoji 😀 line sep \u2028 end\n";
        var first = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content, @namespace = ns });
        var again = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content, @namespace = ns });

        var stamped = first.Data.GetProperty("stamped_content").GetString();
        Assert.Equal(first.Data.GetProperty("stamp").GetString() + "\n" + content, stamped);
        Assert.Equal(stamped, again.Data.GetProperty("stamped_content").GetString());
        Assert.False(again.Data.GetProperty("created").GetBoolean());
    }

    [Fact]
    public async Task Stamped_content_validates_and_tampered_content_does_not()
    {
        var ns = Ns();
        var stamped = (await http.StampAsync("SELECT 1;\n", ns, "rich")).GetProperty("stamped_content").GetString()!;

        var valid = await http.PostJsonAsync(ApiCalls.Base + "/validate", new { content = stamped, @namespace = ns });
        var tampered = await http.PostJsonAsync(ApiCalls.Base + "/validate", new { content = stamped.Replace("SELECT 1", "SELECT 2", StringComparison.Ordinal), @namespace = ns });

        Assert.True(valid.Data.GetProperty("is_valid").GetBoolean());
        Assert.Equal("rich", valid.Data.GetProperty("validation_results")[0].GetProperty("stamp_type").GetString());
        Assert.False(tampered.Data.GetProperty("is_valid").GetBoolean());
        Assert.Equal("hash mismatch", tampered.Data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Base64_content_is_stamped_detached_even_when_it_is_valid_utf8()
    {
        var bytes = Encoding.UTF8.GetBytes("  plain text with spaces  ");
        var reply = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content_base64 = Convert.ToBase64String(bytes), @namespace = Ns() });

        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Equal("detached", reply.Data.GetProperty("stamp_type").GetString());
        Assert.Equal(JsonValueKind.Null, reply.Data.GetProperty("stamped_content").ValueKind);
        Assert.Equal(ContentHash.Of(bytes), reply.Data.GetProperty("file_hash").GetString());   // raw bytes, no trimming
        Assert.Equal(bytes.Length, reply.Data.GetProperty("file_size").GetInt64());
        Assert.StartsWith("# ONEX:uid=", reply.Data.GetProperty("stamp").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Binary_that_is_not_utf8_stamps_fine()
    {
        byte[] bytes = [0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80];
        var reply = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content_base64 = Convert.ToBase64String(bytes), @namespace = Ns() });
        Assert.Equal(HttpStatusCode.Created, reply.Status);
        Assert.Equal(ContentHash.Of(bytes), reply.Data.GetProperty("file_hash").GetString());
    }

    [Fact]
    public async Task A_stamp_is_found_by_hash_in_its_namespace_only()
    {
        var (ns, other) = (Ns(), Ns());
        var hash = (await http.StampAsync("lookup me", ns)).GetProperty("file_hash").GetString();

        var found = await http.GetReplyAsync($"{ApiCalls.Base}/stamp/{hash}?namespace={ns}");
        var elsewhere = await http.GetReplyAsync($"{ApiCalls.Base}/stamp/{hash}?namespace={other}");

        Assert.Equal(HttpStatusCode.OK, found.Status);
        Assert.Equal(hash, found.Data.GetProperty("file_hash").GetString());
        Assert.Equal(HttpStatusCode.NotFound, elsewhere.Status);
        Assert.Equal("STAMP_NOT_FOUND", elsewhere.ErrorCode);
        Assert.Equal(JsonValueKind.Null, elsewhere.Data.ValueKind);
    }

    [Fact]
    public async Task Without_a_namespace_the_default_namespace_is_used()
    {
        var content = "default namespace " + Guid.NewGuid();
        var reply = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content });
        Assert.Equal("omninode.services.metadata", reply.Data.GetProperty("namespace").GetString());

        var hash = reply.Data.GetProperty("file_hash").GetString();
        Assert.Equal(HttpStatusCode.OK, (await http.GetReplyAsync($"{ApiCalls.Base}/stamp/{hash}")).Status);
    }

    [Fact]
    public async Task Concurrent_identical_requests_create_exactly_one_record()
    {
        var ns = Ns();
        var replies = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content = "race", @namespace = ns })));

        Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
        Assert.All(replies, r => Assert.True(r.Status is HttpStatusCode.Created or HttpStatusCode.OK, r.ToString()));
        Assert.Single(replies.Select(r => r.Data.GetProperty("stamp_id").GetString()).Distinct());
    }

    [Fact]
    public async Task The_request_id_is_echoed_in_header_and_metadata()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ApiCalls.Base + "/health");
        request.Headers.Add("X-Request-ID", "trace-42");
        var reply = await Reply.ReadAsync(await http.SendAsync(request));
        Assert.Equal("trace-42", reply.Body.GetProperty("metadata").GetProperty("request_id").GetString());
        Assert.Equal("trace-42", reply.Response.Headers.GetValues("X-Request-ID").Single());
    }

    [Fact]
    public async Task A_request_without_an_id_gets_a_new_version_4_uuid_each_time()
    {
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            // A sent id that is not a sane token is replaced, as a missing one is.
            using var request = new HttpRequestMessage(HttpMethod.Get, ApiCalls.Base + "/health");
            if (i % 2 == 1) request.Headers.TryAddWithoutValidation("X-Request-ID", "not a token");
            var reply = await Reply.ReadAsync(await http.SendAsync(request));
            var id = reply.Response.Headers.GetValues("X-Request-ID").Single();
            Assert.Equal(id, reply.Body.GetProperty("metadata").GetProperty("request_id").GetString());
            ids.Add(id);
        }
        Assert.All(ids, id =>
        {
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", id);
            Assert.Equal(4, Guid.Parse(id).Version);
        });
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}

using System.Net;
using System.Text.Json;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

[Collection(SharedService.Name)]
public sealed class BatchEndpointTests(SiloApp service)
{
    readonly HttpClient http = service.Http;
    const string Path = ApiCalls.Base + "/batch";
    static string Ns() => "http.batch.t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Every_item_gets_a_result_in_order_and_duplicates_return_the_existing_record()
    {
        var ns = Ns();
        var existing = (await http.StampAsync("already here", ns)).GetProperty("stamp_id").GetString();

        var reply = await http.PostJsonAsync(Path, new
        {
            @namespace = ns,
            items = new object[]
            {
                new { id = "first", content = "one" },
                new { content = "already here" },
                new { id = 7, content = "one" },
                new { content_base64 = Convert.ToBase64String([1, 2, 3]) },
            },
        });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("success", reply.EnvelopeStatus);
        var results = reply.Data.GetProperty("results");
        Assert.Equal(["first", "1", "7", "3"], results.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.All(results.EnumerateArray(), r => Assert.True(r.GetProperty("success").GetBoolean()));
        Assert.Equal([true, false, false, true], results.EnumerateArray().Select(r => r.GetProperty("created").GetBoolean()));
        Assert.Equal(existing, results[1].GetProperty("stamp_id").GetString());
        Assert.Equal(results[0].GetProperty("stamp_id").GetString(), results[2].GetProperty("stamp_id").GetString());
        Assert.Equal(4, reply.Data.GetProperty("total_items").GetInt32());
        Assert.Equal(4, reply.Data.GetProperty("successful_items").GetInt32());
        Assert.Equal(0, reply.Data.GetProperty("failed_items").GetInt32());
        Assert.Matches("^[0-9a-f-]{36}$", reply.Data.GetProperty("batch_id").GetString());
    }

    [Fact]
    public async Task A_chunked_body_stamps_the_same_records_as_one_with_its_length()
    {
        // About 400 KiB sent without a Content-Length, so the service grows its buffer as the body arrives; characters
        // of two to four UTF-8 bytes fall across the edges of what each read returns.
        var items = Enumerable.Range(0, 300).Select(i => new { content = $"{i} " + string.Concat(Enumerable.Repeat("é€😀 chunk ", 100)) }).ToArray();
        var json = JsonSerializer.SerializeToUtf8Bytes(new { @namespace = Ns(), items });
        using var chunked = new StreamContent(new MemoryStream(json));
        chunked.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var streamed = await Reply.ReadAsync(await http.PostAsync(Path, chunked));
        var declared = await http.PostJsonAsync(Path, new { @namespace = Ns(), items });

        Assert.True(json.Length > 6 * 64 * 1024, $"{json.Length} bytes");
        Assert.Equal(HttpStatusCode.OK, streamed.Status);
        static string?[] Hashes(Reply reply) => [.. reply.Data.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("file_hash").GetString())];
        Assert.Equal(300, streamed.Data.GetProperty("successful_items").GetInt32());
        Assert.All(streamed.Data.GetProperty("results").EnumerateArray(), r => Assert.True(r.GetProperty("created").GetBoolean()));
        Assert.Equal(Hashes(declared), Hashes(streamed));
    }

    [Fact]
    public async Task A_bad_item_fails_alone_with_the_code_stamp_would_give()
    {
        var ns = Ns();
        var reply = await http.PostJsonAsync(Path, new
        {
            @namespace = ns,
            items = new object[]
            {
                new { content = "good" },
                new { content = 42 },
                new { content = "x", @namespace = "Bad.Namespace" },
                new { content_base64 = "%%%" },
                new { content = "x", op_id = "nope" },
                "not an object",
                new { content = "also good", @namespace = ns + ".child" },
            },
        });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("partial", reply.EnvelopeStatus);
        var results = reply.Data.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([true, false, false, false, false, false, true], results.Select(r => r.GetProperty("success").GetBoolean()));
        Assert.Equal("VALIDATION_ERROR", results[1].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("items[1].content", results[1].GetProperty("error").GetProperty("field").GetString());
        Assert.Equal("INVALID_NAMESPACE", results[2].GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("items[3].content_base64", results[3].GetProperty("error").GetProperty("field").GetString());
        Assert.Equal("items[4].op_id", results[4].GetProperty("error").GetProperty("field").GetString());
        Assert.Equal(5, reply.Data.GetProperty("failed_items").GetInt32());
        Assert.Equal(5, reply.Body.GetProperty("error").GetArrayLength());

        // The good items were stored, each in its own namespace; the bad ones left nothing.
        var listing = await http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}");
        Assert.Single(listing.Data.GetProperty("stamps").EnumerateArray());
    }

    [Fact]
    public async Task A_batch_where_every_item_fails_is_status_error_but_still_200()
    {
        var reply = await http.PostJsonAsync(Path, new { items = new object[] { new { }, new { content = (string?)null } } });
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("error", reply.EnvelopeStatus);
        Assert.Equal(0, reply.Data.GetProperty("successful_items").GetInt32());
    }

    [Fact]
    public async Task An_item_may_choose_its_own_stamp_form()
    {
        var reply = await http.PostJsonAsync(Path, new
        {
            @namespace = Ns(),
            options = new { stamp_type = "rich" },
            items = new object[] { new { content = "rich by default" }, new { content = "light", options = new { stamp_type = "lightweight" } }, new { content = "x", options = new { stamp_type = "odd" } } },
        });
        var results = reply.Data.GetProperty("results");
        Assert.Contains("ONEX_METADATA_START", results[0].GetProperty("stamped_content").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("# ONEX:uid=", results[1].GetProperty("stamped_content").GetString(), StringComparison.Ordinal);
        Assert.Equal("items[2].options.stamp_type", results[2].GetProperty("error").GetProperty("field").GetString());
    }

    [Fact]
    public async Task An_items_stamped_content_is_the_text_stamp_answers_for_it_whatever_characters_it_holds()
    {
        var ns = Ns();
        string[] texts = ["quote \" backslash \\ tab \t", "line one\r\nline two\n", "é ü 漢字 😀 <tag> & \u0001"];
        var reply = await http.PostJsonAsync(Path, new { @namespace = ns, items = texts.Select(t => (object)new { content = t }).Append(new { content_base64 = "AQID" }) });
        var results = reply.Data.GetProperty("results");

        for (var i = 0; i < texts.Length; i++)
        {
            // The same content through /stamp finds the batch's record and answers its stamped text.
            var single = await http.StampAsync(texts[i], ns);
            Assert.False(single.GetProperty("created").GetBoolean());
            Assert.Equal(single.GetProperty("stamped_content").GetString(), results[i].GetProperty("stamped_content").GetString());
            Assert.Contains(texts[i], results[i].GetProperty("stamped_content").GetString(), StringComparison.Ordinal);
        }
        // Bytes are stamped detached: no stamped text.
        Assert.Equal(JsonValueKind.Null, results[texts.Length].GetProperty("stamped_content").ValueKind);

        // A text that already carries its stamp comes back as it was.
        var stamped = results[0].GetProperty("stamped_content").GetString()!;
        var again = await http.PostJsonAsync(Path, new { @namespace = ns, items = new[] { new { content = stamped } } });
        Assert.Equal(stamped, again.Data.GetProperty("results")[0].GetProperty("stamped_content").GetString());
    }

    [Fact]
    public async Task A_batch_larger_than_a_part_answers_every_item_in_order_with_the_whole_batchs_counts()
    {
        var ns = Ns();
        // Every 97th item has no content: refusals fall in every part, at their edges too.
        var items = Enumerable.Range(0, 1000).Select(i => i % 97 == 0 ? (object)new { id = $"i{i}" } : new { id = $"i{i}", content = $"part item {i % 600}" });
        var reply = await http.PostJsonAsync(Path, new { @namespace = ns, items });

        Assert.Equal((HttpStatusCode.OK, "partial"), (reply.Status, reply.EnvelopeStatus));
        var results = reply.Data.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"i{i}"), results.Select(r => r.GetProperty("id").GetString()));
        var refused = Enumerable.Range(0, 1000).Where(i => i % 97 == 0).ToList();
        Assert.Equal(refused, results.Select((r, i) => (r, i)).Where(x => !x.r.GetProperty("success").GetBoolean()).Select(x => x.i));
        Assert.Equal(refused.Select(i => $"items[{i}].content"), reply.Body.GetProperty("error").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
        Assert.Equal((1000, 1000 - refused.Count, refused.Count),
            (reply.Data.GetProperty("total_items").GetInt32(), reply.Data.GetProperty("successful_items").GetInt32(), reply.Data.GetProperty("failed_items").GetInt32()));
        Assert.Equal(ns, reply.Body.GetProperty("metadata").GetProperty("namespace").GetString());
        Assert.Equal($"{1000 - refused.Count} of 1000 items stamped", reply.Body.GetProperty("message").GetString());
        Assert.True(reply.Data.GetProperty("processing_time_ms").GetDouble() > 0);

        // A repeat in a later part (item 600 + k repeats item k) returns the record an earlier part created.
        Assert.True(results[1].GetProperty("created").GetBoolean());
        Assert.False(results[601].GetProperty("created").GetBoolean());
        Assert.Equal(results[1].GetProperty("stamp_id").GetString(), results[601].GetProperty("stamp_id").GetString());
        Assert.Equal(598, (await http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}?limit=1000")).Data.GetProperty("stamps").GetArrayLength());
    }

    [Fact]
    public async Task An_empty_batch_is_EMPTY_BATCH()
    {
        var reply = await http.PostJsonAsync(Path, new { items = Array.Empty<object>() });
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("EMPTY_BATCH", reply.ErrorCode);
    }

    [Fact]
    public async Task More_than_1000_items_is_BATCH_TOO_LARGE_and_stores_nothing()
    {
        var ns = Ns();
        var reply = await http.PostJsonAsync(Path, new { @namespace = ns, items = Enumerable.Range(0, 1001).Select(i => new { content = $"c{i}" }) });
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("BATCH_TOO_LARGE", reply.ErrorCode);
        Assert.Empty((await http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}")).Data.GetProperty("stamps").EnumerateArray());
    }

    [Fact]
    public async Task Exactly_1000_items_are_accepted()
    {
        var ns = Ns();
        var reply = await http.PostJsonAsync(Path, new { @namespace = ns, items = Enumerable.Range(0, 1000).Select(i => new { content = $"c{i}" }), options = new { stamp_type = "rich" } });
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(1000, reply.Data.GetProperty("successful_items").GetInt32());
        Assert.Contains("ONEX_METADATA_START", reply.Data.GetProperty("results")[999].GetProperty("stamped_content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Items_must_be_an_array()
    {
        var missing = await http.PostJsonAsync(Path, new { @namespace = Ns() });
        var wrong = await http.PostJsonAsync(Path, new { items = "x" });
        Assert.Equal(("VALIDATION_ERROR", "items"), (missing.ErrorCode, missing.ErrorField));
        Assert.Equal(("VALIDATION_ERROR", "items"), (wrong.ErrorCode, wrong.ErrorField));
    }
}

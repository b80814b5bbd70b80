using System.Net;
using System.Text.Json;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

[Collection(SharedService.Name)]
public sealed class WorkflowEndpointTests(SiloApp service)
{
    readonly HttpClient http = service.Http;
    const string Path = "/api/v1/workflows";
    static string Ns() => "http.flow.t" + Guid.NewGuid().ToString("N")[..10];

    async Task<JsonElement> FinishedAsync(string id)
    {
        JsonElement data = default;
        await Eventually.TrueAsync(async () =>
        {
            data = (await http.GetReplyAsync($"{Path}/{id}")).Data;
            return data.GetProperty("state").GetString() is "completed" or "failed";
        }, "the workflow ends");
        return data;
    }

    [Fact]
    public async Task A_workflow_is_accepted_with_202_and_its_records_appear_once_completed()
    {
        var ns = Ns();
        var reply = await http.PostJsonAsync(Path, new { @namespace = ns, items = new object[] { new { content = "a" }, new { content_base64 = "AAE=", file_path = "b.bin" } } });

        Assert.Equal(HttpStatusCode.Accepted, reply.Status);
        var id = reply.Data.GetProperty("workflow_id").GetString()!;
        Assert.Equal($"{Path}/{id}", reply.Response.Headers.Location!.ToString());
        Assert.Equal("pending", reply.Data.GetProperty("state").GetString());
        Assert.Equal("start_workflow", reply.Body.GetProperty("metadata").GetProperty("operation").GetString());

        var done = await FinishedAsync(id);
        Assert.Equal("completed", done.GetProperty("state").GetString());
        Assert.Equal(ns, done.GetProperty("namespace").GetString());
        foreach (var step in done.GetProperty("steps").EnumerateArray())
        {
            foreach (var field in new[] { "name", "status", "started_at", "duration_ms", "error" }) Assert.True(step.TryGetProperty(field, out _), field);
        }
        var history = done.GetProperty("history").EnumerateArray().Select(h => (h.GetProperty("from_state").GetString(), h.GetProperty("to_state").GetString())).ToList();
        Assert.Equal([("pending", "processing"), ("processing", "completed")], history);
        var results = done.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal("detached", results[1].GetProperty("stamp_type").GetString());
        Assert.Equal(id, results[0].GetProperty("workflow_id").GetString());

        var stored = await http.GetReplyAsync($"{ApiCalls.Base}/stamp/{results[0].GetProperty("file_hash").GetString()}?namespace={ns}");
        Assert.Equal(HttpStatusCode.OK, stored.Status);
    }

    [Fact]
    public async Task Each_result_says_whether_the_workflow_created_its_record()
    {
        var ns = Ns();
        await http.StampAsync("stamped before", ns);
        var reply = await http.PostJsonAsync(Path, new { @namespace = ns, items = new object[] { new { content = "new" }, new { content = "new" }, new { content = "stamped before" } } });
        var done = await FinishedAsync(reply.Data.GetProperty("workflow_id").GetString()!);
        Assert.Equal([true, false, false], done.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("created").GetBoolean()));
    }

    [Fact]
    public async Task A_retried_post_with_its_own_id_finds_the_same_workflow()
    {
        var ns = Ns();
        var id = Guid.NewGuid().ToString();
        var first = await http.PostJsonAsync(Path, new { @namespace = ns, workflow_id = id, items = new[] { new { content = "once" } } });
        var again = await http.PostJsonAsync(Path, new { @namespace = ns, workflow_id = id, items = new[] { new { content = "once" } } });
        var elsewhere = await http.PostJsonAsync(Path, new { @namespace = Ns(), workflow_id = id, items = new[] { new { content = "once" } } });

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal(HttpStatusCode.Accepted, again.Status);
        Assert.Equal(first.Data.GetProperty("created_at").GetString(), again.Data.GetProperty("created_at").GetString());
        Assert.Equal((HttpStatusCode.Conflict, "WORKFLOW_EXISTS"), (elsewhere.Status, elsewhere.ErrorCode));
    }

    [Theory]
    [InlineData("{\"items\": []}", "EMPTY_BATCH", "items")]
    [InlineData("{\"namespace\": \"Bad\", \"items\": [{\"content\": \"x\"}]}", "INVALID_NAMESPACE", "namespace")]
    [InlineData("{\"items\": [{\"content\": \"x\"}, {\"content\": 5}]}", "VALIDATION_ERROR", "items[1].content")]
    [InlineData("{\"namespace\": \"a.b\", \"items\": [{\"content\": \"x\", \"namespace\": \"c.d\"}]}", "VALIDATION_ERROR", "items[0].namespace")]
    [InlineData("{\"workflow_id\": \"nope\", \"items\": [{\"content\": \"x\"}]}", "VALIDATION_ERROR", "workflow_id")]
    [InlineData("{\"items\": [{\"content\": \"x\"}], \"enable_intelligence\": \"yes\"}", "VALIDATION_ERROR", "enable_intelligence")]
    public async Task A_malformed_workflow_is_refused_whole_and_nothing_starts(string body, string code, string field)
    {
        var reply = await http.PostRawAsync(Path, body, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal((code, field), (reply.ErrorCode, reply.ErrorField));
    }

    [Fact]
    public async Task More_than_1000_items_is_BATCH_TOO_LARGE()
    {
        var reply = await http.PostJsonAsync(Path, new { items = Enumerable.Range(0, 1001).Select(i => new { content = $"c{i}" }) });
        Assert.Equal("BATCH_TOO_LARGE", reply.ErrorCode);
    }

    [Fact]
    public async Task An_unknown_workflow_is_404_and_a_malformed_id_400()
    {
        var unknown = await http.GetReplyAsync($"{Path}/{Guid.NewGuid()}");
        var malformed = await http.GetReplyAsync($"{Path}/not-a-guid");
        Assert.Equal((HttpStatusCode.NotFound, "WORKFLOW_NOT_FOUND"), (unknown.Status, unknown.ErrorCode));
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR"), (malformed.Status, malformed.ErrorCode));
    }

    [Fact]
    public async Task A_workflow_that_fails_says_why()
    {
        var reply = await http.PostJsonAsync(Path, new { @namespace = Ns(), items = new[] { new { content = "a <!-- ONEX_METADATA_START --> b", options = new { stamp_type = "rich" } } } });
        var done = await FinishedAsync(reply.Data.GetProperty("workflow_id").GetString()!);
        Assert.Equal("failed", done.GetProperty("state").GetString());
        Assert.Equal("VALIDATION_ERROR", done.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("results").ValueKind);
    }
}

using System.Net;
using System.Text.Json.Nodes;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

/// <summary>
/// docs/protocol.md, "Limits": each record limit at its edge, through every door of the REST API. At
/// the limit a request is stamped; one past it is a 400 VALIDATION_ERROR naming the field and the
/// limit, for /stamp, for a /batch item (which fails alone), and for a workflow (refused whole).
/// </summary>
[Collection(SharedService.Name)]
public sealed class RecordLimitTests(SiloApp service)
{
    readonly HttpClient http = service.Http;

    static string Ns() => "http.limits.t" + Guid.NewGuid().ToString("N")[..10];

    [Theory]
    [MemberData(nameof(RecordLimitSamples.EdgeNames), MemberType = typeof(RecordLimitSamples))]
    public async Task Stamp_accepts_a_record_at_the_limit_and_refuses_one_past_it_naming_the_field_and_the_limit(string name)
    {
        var edge = RecordLimitSamples.EdgeNamed(name);
        var ns = Ns();

        var at = await PostAsync("/stamp", RecordLimitSamples.Request($"at the {name} limit", ns, edge.AtLimit()));
        var past = await PostAsync("/stamp", RecordLimitSamples.Request($"past the {name} limit", ns, edge.Past()));

        Assert.True(at.Status == HttpStatusCode.Created, at.ToString());
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR", edge.Field), (past.Status, past.ErrorCode, past.ErrorField));
        Assert.Contains(edge.Limit, past.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
        // Refused before anything was stored: the namespace holds only the record at the limit.
        Assert.Single((await http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}")).Data.GetProperty("stamps").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(RecordLimitSamples.EdgeNames), MemberType = typeof(RecordLimitSamples))]
    public async Task A_batch_item_past_a_limit_fails_alone_with_the_same_refusal(string name)
    {
        var edge = RecordLimitSamples.EdgeNamed(name);
        var ns = Ns();
        var items = new JsonArray(RecordLimitSamples.Request($"batch at the {name} limit", ns, edge.AtLimit()),
            RecordLimitSamples.Request($"batch past the {name} limit", ns, edge.Past()));

        var reply = await PostAsync("/batch", new JsonObject { ["namespace"] = ns, ["items"] = items });

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("partial", reply.EnvelopeStatus);
        var results = reply.Data.GetProperty("results");
        Assert.True(results[0].GetProperty("success").GetBoolean(), reply.ToString());
        var error = results[1].GetProperty("error");
        Assert.Equal(("VALIDATION_ERROR", "items[1]." + edge.Field), (error.GetProperty("code").GetString(), error.GetProperty("field").GetString()));
        Assert.Contains(edge.Limit, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(RecordLimitSamples.EdgeNames), MemberType = typeof(RecordLimitSamples))]
    public async Task A_workflow_with_an_item_past_a_limit_is_refused_and_one_at_it_is_accepted(string name)
    {
        var edge = RecordLimitSamples.EdgeNamed(name);
        var ns = Ns();

        var at = await PostAsync("/api/v1/workflows", new JsonObject { ["namespace"] = ns, ["items"] = new JsonArray(RecordLimitSamples.Request($"workflow at the {name} limit", ns, edge.AtLimit())) }, basePath: false);
        var past = await PostAsync("/api/v1/workflows", new JsonObject { ["namespace"] = ns, ["items"] = new JsonArray(RecordLimitSamples.Request($"workflow past the {name} limit", ns, edge.Past())) }, basePath: false);

        Assert.True(at.Status == HttpStatusCode.Accepted, at.ToString());
        Assert.Equal((HttpStatusCode.BadRequest, "VALIDATION_ERROR", "items[0]." + edge.Field), (past.Status, past.ErrorCode, past.ErrorField));
        Assert.Contains(edge.Limit, past.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_states_the_record_limits()
    {
        var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json"))!;
        var stamp = Body(document, ApiCalls.Base + "/stamp")["properties"]!;
        Assert.Equal(1024, (int)stamp["file_path"]!["maxLength"]!);
        Assert.Equal(1024, (int)stamp["content_type"]!["maxLength"]!);
        Assert.Equal(256, (int)stamp["metadata"]!["maxProperties"]!);
        Assert.Contains("65536", (string)stamp["metadata"]!["description"]!, StringComparison.Ordinal);
        Assert.Contains("16384", (string)stamp["metadata"]!["description"]!, StringComparison.Ordinal);
        Assert.Contains("65536", (string)stamp["intelligence_data"]!["description"]!, StringComparison.Ordinal);
        // A batch's and a workflow's items have the same shape, and so the same limits.
        foreach (var path in new[] { ApiCalls.Base + "/batch", "/api/v1/workflows" })
        {
            var items = Body(document, path)["properties"]!["items"]!;
            Assert.Equal(1000, (int)items["maxItems"]!);
            Assert.Equal(1024, (int)items["items"]!["properties"]!["file_path"]!["maxLength"]!);
            Assert.Equal(256, (int)items["items"]!["properties"]!["metadata"]!["maxProperties"]!);
        }
    }

    static JsonNode Body(JsonNode document, string path) => document["paths"]![path]!["post"]!["requestBody"]!["content"]!["application/json"]!["schema"]!;

    Task<Reply> PostAsync(string path, JsonObject body, bool basePath = true) =>
        http.PostRawAsync((basePath ? ApiCalls.Base : "") + path, body.ToJsonString(), "application/json");
}

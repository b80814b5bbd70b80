using System.Net;
using System.Text;
using System.Text.Json;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

/// <summary>Every refusal of docs/protocol.md, "The REST API": the status, the stable code, the field, a UnifiedResponse body, and nothing stored.</summary>
[Collection(SharedService.Name)]
public sealed class ErrorResponseTests(SiloApp service)
{
    readonly HttpClient http = service.Http;
    static string Ns() => "http.errors.t" + Guid.NewGuid().ToString("N")[..10];

    public static IEnumerable<object?[]> BadStampBodies() =>
    [
        ["{\"content\": \"x\"", null],                                  // truncated JSON
        ["[1, 2, 3]", null],                                            // not an object
        ["\"just a string\"", null],
        ["{\"content\": \"x\", \"content\": \"y\"}", null],             // duplicate property
        ["{}", "content"],                                              // missing content
        ["{\"content\": null}", "content"],
        ["{\"content\": 12}", "content"],                               // wrong type
        ["{\"content\": \"x\", \"content_base64\": \"eA==\"}", "content"],
        ["{\"content_base64\": \"not base64!\"}", "content_base64"],
        ["{\"content\": \"x\", \"op_id\": \"123\"}", "op_id"],
        ["{\"content\": \"x\", \"options\": {\"stamp_type\": \"fancy\"}}", "options.stamp_type"],
        ["{\"content\": \"x\", \"options\": \"rich\"}", "options"],
        ["{\"content\": \"x\", \"metadata\": {\"k\": 1}}", "metadata.k"],
        ["{\"content\": \"x\", \"metadata\": {\"k\": null}}", "metadata.k"],
        ["{\"content\": \"x\", \"metadata\": [\"a\"]}", "metadata"],
        ["{\"content\": \"x\", \"intelligence_data\": [1]}", "intelligence_data"],
        ["{\"content\": \"x\", \"file_path\": \"a\\nb\"}", "file_path"],
        ["{\"content\": \"x\", \"file_path\": \"x --> y\"}", "file_path"],
        ["{\"content\": \"x\", \"content_type\": \"not a type\"}", "content_type"],
        ["{\"content\": \"\\ud800 lone surrogate\"}", "content"],
        ["{\"content\": \"\\udfff\\ud800 reversed pair\"}", "content"],
        ["{\"\\udfff\\ud800\": 1, \"content\": \"x\"}", null],     // not UTF-16 in a property name
        ["{\"content\": \"x\", \"intelligence_data\": {\"a\": [0, {\"b\": [\"\\ud800\"]}]}}", "intelligence_data.a[1].b[0]"],
    ];

    [Theory]
    [MemberData(nameof(BadStampBodies))]
    public async Task A_malformed_stamp_request_is_400_VALIDATION_ERROR_naming_the_field(string body, string? field)
    {
        // The tests of this collection run one at a time, so the service's count of created stamps is ours to watch.
        var createdBefore = await StampsCreatedAsync();
        var reply = await http.PostRawAsync(ApiCalls.Base + "/stamp", body, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("error", reply.EnvelopeStatus);
        Assert.Equal("VALIDATION_ERROR", reply.ErrorCode);
        Assert.Equal(field, reply.ErrorField);
        Assert.Equal(JsonValueKind.Null, reply.Data.ValueKind);
        Assert.Equal(createdBefore, await StampsCreatedAsync());
    }

    async Task<long> StampsCreatedAsync() =>
        (await http.GetReplyAsync(ApiCalls.Base + "/metrics")).Data.GetProperty("database").GetProperty("stamps_created").GetInt64();

    [Theory]
    [InlineData("{\"content\": 12}", "content must be a string")]
    [InlineData("{\"content\": \"x\", \"namespace\": true}", "namespace must be a string")]
    [InlineData("{\"content\": \"x\", \"metadata\": {\"a\": 1}}", "metadata.a must be a string")]
    [InlineData("{\"content\": \"x\", \"options\": {\"stamp_type\": 5}}", "options.stamp_type must be a string")]
    [InlineData("{\"content\": \"x\", \"metadata\": 5}", "metadata must be a JSON object")]
    public async Task A_wrong_type_says_what_was_expected(string body, string message)
    {
        var reply = await http.PostRawAsync(ApiCalls.Base + "/stamp", body, "application/json");
        Assert.Equal(message, reply.FirstError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Intelligence_data_nests_32_levels_at_most_and_what_is_stored_can_always_be_read_back()
    {
        static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\": ", depth - 1)) + "{}" + new string('}', depth - 1);
        var ns = Ns();
        var deepest = await http.PostRawAsync(ApiCalls.Base + "/stamp", $"{{\"content\": \"deep\", \"namespace\": \"{ns}\", \"intelligence_data\": {Nested(32)}}}", "application/json");
        var deeper = await http.PostRawAsync(ApiCalls.Base + "/stamp", $"{{\"content\": \"deeper\", \"namespace\": \"{ns}\", \"intelligence_data\": {Nested(33)}}}", "application/json");

        Assert.Equal(HttpStatusCode.Created, deepest.Status);
        Assert.Equal(("VALIDATION_ERROR", "intelligence_data"), (deeper.ErrorCode, deeper.ErrorField));
        Assert.Equal(HttpStatusCode.OK, (await http.GetReplyAsync($"{ApiCalls.Base}/stamp/{deepest.Data.GetProperty("file_hash").GetString()}?namespace={ns}")).Status);
        Assert.Single((await http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}")).Data.GetProperty("stamps").EnumerateArray());
    }

    [Theory]
    [InlineData("{\"content\": \"x\", \"intelligence_data\": {\"a\": \"\\ud800\"}}", "intelligence_data.a")]
    [InlineData("{\"content\": \"x\", \"intelligence_data\": {\"a\": \"\\u0000\"}}", "intelligence_data")]
    [InlineData("{\"content\": \"x\", \"intelligence_data\": {\"n\": 1e1000000}}", "intelligence_data")]
    [InlineData("{\"content\": \"x\", \"metadata\": {\"k\": \"a\\u0000b\"}}", "metadata.k")]
    [InlineData("{\"content\": \"x\", \"metadata\": {\"\\u0000\": \"v\"}}", "metadata.\u0000")]
    public async Task Text_that_cannot_be_stored_is_refused(string body, string field)
    {
        var reply = await http.PostRawAsync(ApiCalls.Base + "/stamp", body, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(("VALIDATION_ERROR", field), (reply.ErrorCode, reply.ErrorField));
    }

    [Fact]
    public async Task A_batch_item_id_that_is_not_valid_unicode_is_a_validation_error()
    {
        var reply = await http.PostRawAsync(ApiCalls.Base + "/batch", "{\"items\": [{\"id\": \"\\ud800\", \"content\": \"x\"}]}", "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(("VALIDATION_ERROR", "items[0].id"), (reply.ErrorCode, reply.ErrorField));
    }

    [Fact]
    public async Task A_rich_stamp_that_would_not_validate_is_refused_and_lightweight_works()
    {
        var ns = Ns();
        const string content = "a <!-- ONEX_METADATA_START --> b";
        var rich = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content, @namespace = ns, options = new { stamp_type = "rich" } });
        var batch = await http.PostJsonAsync(ApiCalls.Base + "/batch", new { @namespace = ns, items = new[] { new { content, options = new { stamp_type = "rich" } } } });

        Assert.Equal(HttpStatusCode.BadRequest, rich.Status);
        Assert.Equal(("VALIDATION_ERROR", "options.stamp_type"), (rich.ErrorCode, rich.ErrorField));
        Assert.Equal("items[0].options.stamp_type", batch.Data.GetProperty("results")[0].GetProperty("error").GetProperty("field").GetString());
        Assert.Empty((await http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}")).Data.GetProperty("stamps").EnumerateArray());

        var light = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content, @namespace = ns });
        Assert.Equal(HttpStatusCode.Created, light.Status);
        var check = await http.PostJsonAsync(ApiCalls.Base + "/validate", new { content = light.Data.GetProperty("stamped_content").GetString() });
        Assert.True(check.Data.GetProperty("is_valid").GetBoolean());
    }

    [Fact]
    public async Task Megabytes_of_markers_are_answered_promptly_and_correctly()
    {
        var content = string.Concat(Enumerable.Repeat("<!--ONEX_METADATA_START-->", 80_000));   // about 2 MiB
        var reply = await http.PostJsonAsync(ApiCalls.Base + "/validate", new { content });
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(0, reply.Data.GetProperty("stamps_found").GetInt32());
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_is_a_validation_error()
    {
        var body = Encoding.UTF8.GetBytes("{\"content\": \"caf").Concat(new byte[] { 0xE9, 0x22, 0x7D }).ToArray();
        var reply = await http.PostBytesAsync(ApiCalls.Base + "/stamp", body, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("VALIDATION_ERROR", reply.ErrorCode);
        Assert.Null(reply.ErrorField);
    }

    [Fact]
    public async Task Nesting_deeper_than_the_limit_is_refused_not_parsed()
    {
        var deep = "{\"content\": \"x\", \"intelligence_data\": " + new string('[', 200) + new string(']', 200) + "}";
        var reply = await http.PostRawAsync(ApiCalls.Base + "/stamp", deep, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("VALIDATION_ERROR", reply.ErrorCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/xml")]
    [InlineData(null)]
    public async Task A_json_endpoint_refuses_other_media_types_with_415(string? contentType)
    {
        foreach (var path in new[] { "/stamp", "/validate", "/batch", "/validate-protocol" })
        {
            var reply = await http.PostRawAsync(ApiCalls.Base + path, "{\"content\": \"x\"}", contentType);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, reply.Status);
            Assert.Equal("UNSUPPORTED_MEDIA_TYPE", reply.ErrorCode);
        }
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    [InlineData("application/vnd.omnibridge+json")]
    [InlineData("APPLICATION/JSON")]
    public async Task Json_media_type_variants_are_accepted(string contentType)
    {
        var reply = await http.PostRawAsync(ApiCalls.Base + "/validate", "{\"content\": \"x\"}", contentType);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Theory]
    [InlineData("Upper.Case")]
    [InlineData("trailing.")]
    [InlineData(".leading")]
    [InlineData("double..dot")]
    [InlineData("-dash.first")]
    [InlineData("space here")]
    [InlineData("../etc")]
    [InlineData("")]
    public async Task A_bad_namespace_in_a_body_is_INVALID_NAMESPACE(string ns)
    {
        var reply = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content = "x", @namespace = ns });
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(("INVALID_NAMESPACE", "namespace"), (reply.ErrorCode, reply.ErrorField));
    }

    [Fact]
    public async Task A_namespace_longer_than_255_characters_is_INVALID_NAMESPACE()
    {
        var ns = string.Join('.', Enumerable.Repeat("abcdefghijklmno", 16));   // 255 characters is fine, 256 is not
        Assert.Equal(255, ns.Length);
        Assert.Equal(HttpStatusCode.Created, (await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content = "x", @namespace = ns })).Status);
        var reply = await http.PostJsonAsync(ApiCalls.Base + "/stamp", new { content = "x", @namespace = ns + "p" });
        Assert.Equal("INVALID_NAMESPACE", reply.ErrorCode);
    }

    [Theory]
    [InlineData("/namespace/Upper")]
    [InlineData("/namespace/a..b")]
    [InlineData("/namespace/..hidden")]
    [InlineData("/namespace/a%2Fb")]
    [InlineData("/stamp/0000000000000000000000000000000000000000000000000000000000000000?namespace=BAD")]
    public async Task A_bad_namespace_in_a_path_or_query_is_INVALID_NAMESPACE(string path)
    {
        var reply = await http.GetReplyAsync(ApiCalls.Base + path);
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("INVALID_NAMESPACE", reply.ErrorCode);
    }

    [Theory]
    [InlineData("ABCDEF0000000000000000000000000000000000000000000000000000000000")]
    [InlineData("abc")]
    [InlineData("g000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("%27%20OR%201%3D1")]
    public async Task A_bad_hash_is_INVALID_HASH_FORMAT(string hash)
    {
        var reply = await http.GetReplyAsync($"{ApiCalls.Base}/stamp/{hash}");
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(("INVALID_HASH_FORMAT", "file_hash"), (reply.ErrorCode, reply.ErrorField));
    }

    [Fact]
    public async Task An_unknown_hash_is_404_STAMP_NOT_FOUND()
    {
        var reply = await http.GetReplyAsync($"{ApiCalls.Base}/stamp/{new string('e', 64)}?namespace={Ns()}");
        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("STAMP_NOT_FOUND", reply.ErrorCode);
    }

    [Theory]
    [InlineData("/api/v1/metadata-stamping/nothing-here")]
    [InlineData("/api/v2/metadata-stamping/stamp")]
    [InlineData("/favicon.ico")]
    public async Task An_unknown_route_is_404_NOT_FOUND(string path)
    {
        var reply = await http.GetReplyAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, reply.Status);
        Assert.Equal("NOT_FOUND", reply.ErrorCode);
    }

    [Theory]
    [InlineData("GET", "/stamp")]
    [InlineData("DELETE", "/stamp/0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("PUT", "/batch")]
    [InlineData("POST", "/health")]
    [InlineData("GET", "/hash")]
    public async Task A_wrong_method_is_405_METHOD_NOT_ALLOWED(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), ApiCalls.Base + path);
        var reply = await Reply.ReadAsync(await http.SendAsync(request));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, reply.Status);
        Assert.Equal("METHOD_NOT_ALLOWED", reply.ErrorCode);
    }

    [Fact]
    public async Task Errors_carry_the_request_id_and_protocol_version_in_metadata()
    {
        var reply = await http.PostRawAsync(ApiCalls.Base + "/stamp", "{", "application/json");
        var metadata = reply.Body.GetProperty("metadata");
        Assert.Equal(metadata.GetProperty("request_id").GetString(), reply.Response.Headers.GetValues("X-Request-ID").Single());
        Assert.Equal("1.0", metadata.GetProperty("protocol_version").GetString());
        Assert.False(string.IsNullOrEmpty(metadata.GetProperty("request_id").GetString()));
        Assert.Equal("create_stamp", metadata.GetProperty("operation").GetString());
    }
}

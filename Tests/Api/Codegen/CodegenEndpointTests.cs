using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OmniBridge.Tests.Fixtures;
using static OmniBridge.Tests.Api.Codegen.CodegenRequestBodies;

namespace OmniBridge.Tests.Api.Codegen;

/// <summary>docs/protocol.md, "Code generation" through the REST API of the embedded default (no language model configured).</summary>
[Collection(SharedService.Name)]
public sealed class CodegenEndpointTests(SiloApp service)
{
    readonly HttpClient http = service.Http;

    [Fact]
    public async Task Generate_answers_the_package_with_the_shape_of_the_spec_and_the_session_keeps_it()
    {
        var reply = await http.PostJsonAsync(Generate, new { requirements = Requirements(), strategy = "template", validation_level = "strict" });
        Assert.True(reply.Status == HttpStatusCode.OK, reply.ToString());
        var data = reply.Data;
        var sessionId = data.GetProperty("session_id").GetString()!;
        Assert.Equal("NodeUserCrudEffect", data.GetProperty("node_name").GetString());
        Assert.Equal("template", data.GetProperty("strategy_used").GetString());
        Assert.True(data.GetProperty("generation_time_ms").GetDouble() > 0);
        Assert.True(data.GetProperty("validation_passed").GetBoolean(), data.GetProperty("validation_errors").ToString());
        Assert.Equal(0, data.GetProperty("validation_errors").GetArrayLength());
        Assert.Equal("database_heavy", data.GetProperty("variant").GetString());
        var paths = data.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()).ToList();
        Assert.Equal(["node.py", "contract.yaml", "__init__.py", "models/__init__.py", "models/model_request.py", "models/model_response.py",
            "tests/__init__.py", "tests/conftest.py", "tests/test_node.py", "tests/test_integration.py", "README.md"], paths);
        Assert.Equal($"{Sessions}/{sessionId}", reply.Response.Headers.Location?.ToString());

        var session = await http.GetReplyAsync($"{Sessions}/{sessionId}");
        Assert.Equal(HttpStatusCode.OK, session.Status);
        Assert.Equal("completed", session.Data.GetProperty("status").GetString());
        Assert.Equal(1.0, session.Data.GetProperty("progress").GetDouble());
        Assert.Equal(data.GetProperty("files").ToString(), session.Data.GetProperty("result").GetProperty("files").ToString());
    }

    [Fact]
    public async Task Accept_application_zip_gives_the_package_as_a_zip_and_the_session_downloads_it_again()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Generate)
        {
            Content = new StringContent(System.Text.Json.JsonSerializer.Serialize(new { requirements = Requirements("zipped_node", "compute", ["score"]) }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/zip"));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            Assert.Contains(zip.Entries, e => e.FullName == "zipped_node/node.py");
            Assert.Equal(11, zip.Entries.Count);
            using var reader = new StreamReader(zip.GetEntry("zipped_node/node.py")!.Open());
            Assert.Contains("class NodeZippedNodeCompute", await reader.ReadToEndAsync(), StringComparison.Ordinal);
        }
        var again = await http.GetByteArrayAsync(response.Headers.Location + "/package.zip");
        Assert.Equal(bytes.Length, again.Length);
    }

    [Fact]
    public async Task Bad_requirements_are_a_400_listing_every_problem_and_start_no_session()
    {
        var reply = await http.PostJsonAsync(Generate, new
        {
            requirements = new { node_type = "gateway", service_name = "Bad Name", domain = "", business_description = "x", operations = Array.Empty<string>() },
            strategy = "template",
        });
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var errors = reply.Body.GetProperty("error").EnumerateArray().ToList();
        Assert.Equal(["requirements.node_type", "requirements.service_name", "requirements.domain", "requirements.operations"],
            errors.Select(e => e.GetProperty("field").GetString()));
        Assert.All(errors, e => Assert.Equal("VALIDATION_ERROR", e.GetProperty("code").GetString()));
        Assert.Equal(JsonValueKindNull, reply.Body.GetProperty("data").ValueKind);

        var wrongType = await http.PostRawAsync(Generate, """{"requirements": {"operations": "create"}}""", "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.Status);
        Assert.Equal("requirements.operations", wrongType.ErrorField);
        var missing = await http.PostRawAsync(Generate, "{}", "application/json");
        Assert.Equal("requirements", missing.ErrorField);
    }

    const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task Mixin_conflicts_are_refused()
    {
        var reply = await http.PostJsonAsync(Generate, new { requirements = Requirements("pure_math", "compute", ["add"], mixins: ["Retry", "CircuitBreaker"]) });
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal("MIXIN_CONFLICT", reply.ErrorCode);
        Assert.Equal(2, reply.Body.GetProperty("error").GetArrayLength());
        Assert.Contains("compute", reply.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_llm_strategy_without_a_model_is_refused_and_auto_and_hybrid_use_templates()
    {
        var llm = await http.PostJsonAsync(Generate, new { requirements = Requirements("llm_node"), strategy = "llm" });
        Assert.Equal(HttpStatusCode.BadRequest, llm.Status);
        Assert.Equal("STRATEGY_UNAVAILABLE", llm.ErrorCode);
        Assert.Contains("CODEGEN_LLM_ENDPOINT", llm.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);

        var auto = await http.PostJsonAsync(Generate, new { requirements = Requirements("auto_node") });
        Assert.Equal("template", auto.Data.GetProperty("strategy_used").GetString());
        var hybrid = await http.PostJsonAsync(Generate, new { requirements = Requirements("hybrid_node"), strategy = "hybrid" });
        Assert.Equal("template", hybrid.Data.GetProperty("strategy_used").GetString());
        Assert.Contains(hybrid.Data.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("no language model", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_retried_generation_with_the_same_session_id_returns_the_first_one()
    {
        var id = Guid.NewGuid().ToString();
        var first = await http.PostJsonAsync(Generate, new { requirements = Requirements("retried"), session_id = id, strategy = "template" });
        var second = await http.PostJsonAsync(Generate, new { requirements = Requirements("different_name"), session_id = id, strategy = "template" });
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal("NodeRetriedEffect", second.Data.GetProperty("node_name").GetString());
        Assert.Equal(first.Data.GetProperty("generation_time_ms").GetDouble(), second.Data.GetProperty("generation_time_ms").GetDouble());
    }

    [Fact]
    public async Task Unknown_and_malformed_session_ids_are_404_and_400()
    {
        var unknown = await http.GetReplyAsync($"{Sessions}/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("SESSION_NOT_FOUND", unknown.ErrorCode);
        var malformed = await http.GetReplyAsync($"{Sessions}/not-a-uuid");
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.Equal("session_id", malformed.ErrorField);
        var noZip = await http.GetReplyAsync($"{Sessions}/{Guid.NewGuid()}/package.zip");
        Assert.Equal(HttpStatusCode.NotFound, noZip.Status);
    }
}

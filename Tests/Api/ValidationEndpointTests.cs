using System.Net;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

[Collection(SharedService.Name)]
public sealed class ValidationEndpointTests(SiloApp service)
{
    readonly HttpClient http = service.Http;
    static string Ns() => "http.validate.t" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Unstamped_content_is_200_not_valid_with_a_reason()
    {
        var reply = await http.PostJsonAsync(ApiCalls.Base + "/validate", new { content = "never stamped" });
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.False(reply.Data.GetProperty("is_valid").GetBoolean());
        Assert.Equal(0, reply.Data.GetProperty("stamps_found").GetInt32());
        Assert.Equal("no stamps found", reply.Data.GetProperty("reason").GetString());
        Assert.Matches("^[0-9a-f]{64}$", reply.Data.GetProperty("current_hash").GetString());
    }

    [Fact]
    public async Task Validation_never_consults_stored_records()
    {
        // Stamped in one namespace, validated in another: the hash binds, not the record.
        var stamped = (await http.StampAsync("portable", Ns())).GetProperty("stamped_content").GetString();
        var reply = await http.PostJsonAsync(ApiCalls.Base + "/validate", new { content = stamped, @namespace = Ns() });
        Assert.True(reply.Data.GetProperty("is_valid").GetBoolean());
    }

    [Fact]
    public async Task An_expected_hash_is_checked_and_must_be_well_formed()
    {
        var data = await http.StampAsync("expected", Ns());
        var stamped = data.GetProperty("stamped_content").GetString();
        var hash = data.GetProperty("file_hash").GetString();

        var match = await http.PostJsonAsync(ApiCalls.Base + "/validate", new { content = stamped, options = new { expected_hash = hash } });
        var other = await http.PostJsonAsync(ApiCalls.Base + "/validate", new { content = stamped, options = new { expected_hash = new string('0', 64) } });
        var bad = await http.PostJsonAsync(ApiCalls.Base + "/validate", new { content = stamped, options = new { expected_hash = hash!.ToUpperInvariant() } });

        Assert.True(match.Data.GetProperty("is_valid").GetBoolean());
        Assert.False(other.Data.GetProperty("is_valid").GetBoolean());
        Assert.Equal(("INVALID_HASH_FORMAT", "options.expected_hash"), (bad.ErrorCode, bad.ErrorField));
    }

    [Fact]
    public async Task Protocol_validation_reports_compliance_levels()
    {
        var stamped = (await http.StampAsync("protocol", Ns(), "rich")).GetProperty("stamped_content").GetString();

        var full = await http.PostJsonAsync(ApiCalls.Base + "/validate-protocol", new { content = stamped, target_protocol = "O.N.E.v0.1", validation_level = "strict" });
        var none = await http.PostJsonAsync(ApiCalls.Base + "/validate-protocol", new { content = "plain", target_protocol = "O.N.E.v0.1", validation_level = "basic" });

        var result = full.Data.GetProperty("validation_result");
        Assert.Equal(HttpStatusCode.OK, full.Status);
        Assert.True(result.GetProperty("is_valid").GetBoolean());
        Assert.Equal("full", result.GetProperty("compliance_level").GetString());
        Assert.Equal("1.0", result.GetProperty("protocol_version").GetString());
        Assert.Empty(result.GetProperty("issues").EnumerateArray());
        Assert.Equal("none", none.Data.GetProperty("validation_result").GetProperty("compliance_level").GetString());
        Assert.NotEmpty(none.Data.GetProperty("validation_result").GetProperty("recommendations").EnumerateArray());
    }

    [Theory]
    [InlineData("O.N.E.v0.2", "basic", "target_protocol")]
    [InlineData("O.N.E.v0.1", "paranoid", "validation_level")]
    public async Task Protocol_validation_refuses_another_protocol_or_level(string protocol, string level, string field)
    {
        var reply = await http.PostJsonAsync(ApiCalls.Base + "/validate-protocol", new { content = "x", target_protocol = protocol, validation_level = level });
        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.Equal(("VALIDATION_ERROR", field), (reply.ErrorCode, reply.ErrorField));
    }
}

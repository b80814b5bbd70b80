using System.Net;
using System.Text.Json;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

/// <summary>Health, metrics, the OpenAPI document and the dashboard.</summary>
[Collection(SharedService.Name)]
public sealed class OperationsEndpointTests(SiloApp service)
{
    readonly HttpClient http = service.Http;

    [Theory]
    [InlineData(ApiCalls.Base + "/health")]
    [InlineData("/health")]
    public async Task Health_reports_every_component_and_the_unconfigured_ones_as_such(string path)
    {
        var reply = await http.GetReplyAsync(path);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var components = reply.Data.GetProperty("components");
        Assert.Equal("healthy", components.GetProperty("cluster").GetProperty("status").GetString());
        Assert.True(components.GetProperty("cluster").GetProperty("response_time_ms").GetDouble() >= 0);
        Assert.Equal("not_configured", components.GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("not_configured", components.GetProperty("kafka").GetProperty("status").GetString());
        Assert.Equal("healthy", reply.Data.GetProperty("status").GetString());
        // No key configured: the service runs open, and says so.
        Assert.Equal("open", reply.Data.GetProperty("authentication").GetString());
        Assert.Contains("open to anyone", reply.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData(ApiCalls.Base + "/health/live")]
    [InlineData(ApiCalls.Base + "/health/ready")]
    public async Task Probes_say_up_and_nothing_more(string path)
    {
        var reply = await http.GetReplyAsync(path);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("up", reply.Data.GetProperty("status").GetString());
        Assert.Single(reply.Data.EnumerateObject());
    }

    [Fact]
    public async Task Json_metrics_count_operations_with_latency_percentiles()
    {
        await http.PostBytesAsync(ApiCalls.Base + "/hash", [1, 2, 3], "application/octet-stream");
        await http.PostRawAsync(ApiCalls.Base + "/hash", "x", "text/plain");
        var reply = await http.GetReplyAsync(ApiCalls.Base + "/metrics");

        var hash = reply.Data.GetProperty("operations").GetProperty("generate_hash");
        Assert.True(hash.GetProperty("count").GetInt64() >= 2);
        Assert.True(hash.GetProperty("errors").GetInt64() >= 1);
        foreach (var p in new[] { "min", "avg", "max", "p95", "p99" }) Assert.True(hash.GetProperty("latency_ms").GetProperty(p).GetDouble() >= 0);
        Assert.True(reply.Data.GetProperty("hashing").GetProperty("hashes").GetInt64() >= 1);
        Assert.Equal(2.0, reply.Data.GetProperty("hashing").GetProperty("budget_ms").GetDouble());
        Assert.True(reply.Data.GetProperty("hashing").TryGetProperty("budget_violations", out _));
        Assert.True(reply.Data.GetProperty("database").TryGetProperty("stamps_created", out _));
    }

    [Fact]
    public async Task The_openapi_document_describes_every_endpoint()
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths");
        foreach (var path in new[] { "hash", "stamp", "stamp/{file_hash}", "validate", "batch", "validate-protocol", "namespace/{ns}", "health", "health/live", "health/ready", "metrics" })
        {
            Assert.True(paths.TryGetProperty(ApiCalls.Base + "/" + path, out _), $"{path} is missing from the OpenAPI document");
        }
        Assert.True(paths.TryGetProperty("/api/v1/workflows", out _));
        Assert.True(paths.TryGetProperty("/api/v1/workflows/{workflow_id}", out _));
        var stampBody = paths.GetProperty(ApiCalls.Base + "/stamp").GetProperty("post").GetProperty("requestBody");
        Assert.True(stampBody.GetProperty("content").TryGetProperty("application/json", out _));
    }

    [Fact]
    public async Task The_dashboard_is_served_under_dashboard()
    {
        using var noRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = service.Address };
        var redirect = await noRedirect.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.EndsWith("/dashboard/", redirect.Headers.Location!.ToString(), StringComparison.Ordinal);

        var page = await http.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("html", (await page.Content.ReadAsStringAsync()).ToLowerInvariant(), StringComparison.Ordinal);
    }
}

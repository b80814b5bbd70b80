using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api;

/// <summary>Interactive API documentation at /docs over the OpenAPI document, as users of the original's FastAPI /docs expect.</summary>
[Collection(SharedService.Name)]
public sealed partial class DocumentationTests(SiloApp service)
{
    [GeneratedRegex(@"^curl .*?-X POST http://localhost:8053(?<path>/[^\s?']+).*?-d '(?<body>\{.*\})'\s*$", RegexOptions.Multiline)]
    private static partial Regex ReadmeJsonPost();

    [Fact]
    public async Task The_docs_page_loads_its_scripts_and_the_openapi_document_from_the_service()
    {
        var page = await service.Http.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        // Every script the page names is served by the service itself (nothing from a CDN).
        var scripts = Regex.Matches(html, @"<script[^>]*\ssrc=""(?<src>[^""]+)""").Select(m => m.Groups["src"].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var script in scripts)
        {
            Assert.DoesNotMatch("^https?:", script);
            Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync(new Uri(new Uri(service.Address, "/docs/"), script))).StatusCode);
        }
        // The page resolves the document's relative URL against the service's root.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Every_json_request_of_the_readme_is_a_request_example_of_its_operation()
    {
        using var document = JsonDocument.Parse(await service.Http.GetStringAsync("/openapi/v1.json"));
        var readme = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "README.md"));
        var posts = ReadmeJsonPost().Matches(readme).ToList();
        Assert.True(posts.Count >= 8, $"{posts.Count} README examples found");
        foreach (var post in posts)
        {
            var path = post.Groups["path"].Value;
            var examples = document.RootElement.GetProperty("paths").GetProperty(path).GetProperty("post")
                .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("examples");
            using var expected = JsonDocument.Parse(post.Groups["body"].Value);
            Assert.Contains(examples.EnumerateObject(), e => JsonElement.DeepEquals(e.Value.GetProperty("value"), expected.RootElement));
        }
    }

    [Theory]
    [InlineData("BatchItemView")]
    [InlineData("StampView")]
    public async Task A_stamped_content_is_described_as_the_string_it_is(string view)
    {
        using var document = JsonDocument.Parse(await service.Http.GetStringAsync("/openapi/v1.json"));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var property = schemas.GetProperty(view).GetProperty("properties").GetProperty("stamped_content");
        // The property itself, a reference, or a choice of null and a reference.
        JsonElement Resolved(JsonElement schema) => schema.TryGetProperty("$ref", out var reference) ? schemas.GetProperty(reference.GetString()!.Split('/')[^1]) : schema;
        var alternatives = property.TryGetProperty("oneOf", out var oneOf) ? oneOf.EnumerateArray().Select(Resolved).ToList() : [Resolved(property)];

        IEnumerable<string?> Types(JsonElement schema) => schema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()) : [type.GetString()]
            : [];
        Assert.Contains("string", alternatives.SelectMany(Types));
        Assert.All(alternatives.SelectMany(Types), t => Assert.Contains(t, (string[])["string", "null"]));
        Assert.All(alternatives, schema => Assert.False(schema.TryGetProperty("properties", out var properties) && properties.EnumerateObject().Any()));
    }

    [Fact]
    public async Task The_document_offers_both_ways_of_presenting_a_key()
    {
        using var document = JsonDocument.Parse(await service.Http.GetStringAsync("/openapi/v1.json"));
        var schemes = document.RootElement.GetProperty("components").GetProperty("securitySchemes");
        Assert.Equal("bearer", schemes.GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.Equal("X-API-Key", schemes.GetProperty("api_key").GetProperty("name").GetString());
        // The dashboard's own routes are not part of the API's description.
        Assert.DoesNotContain(document.RootElement.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith("/dashboard", StringComparison.Ordinal));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OmniBridge.Tests.Fixtures;
using Xunit.Abstractions;

namespace OmniBridge.Tests.Api.Security;

/// <summary>A service on PostgreSQL with one tenant key, for the hostile-input sweep.</summary>
public sealed class FuzzedService : PostgresService
{
    public static readonly TestKey Tenant = new("fuzz-tenant", ["fuzz", "fuzz.*"], ["read", "write"]);
    public static readonly TestKey Operator = new("fuzz-operator", ["*"], ["admin"]);

    public override IReadOnlyDictionary<string, string> ExtraSettings => new Dictionary<string, string>
    {
        // Small, so that the sweep's larger bodies meet the limit too.
        ["MAX_CONTENT_BYTES"] = "65536",
        ["Security:ApiKeys:0:Name"] = Tenant.Name,
        ["Security:ApiKeys:0:KeySha256"] = Tenant.Sha256,
        ["Security:ApiKeys:0:Namespaces:0"] = "fuzz",
        ["Security:ApiKeys:0:Namespaces:1"] = "fuzz.*",
        ["Security:ApiKeys:0:Scopes:0"] = "read",
        ["Security:ApiKeys:0:Scopes:1"] = "write",
        ["Security:ApiKeys:1:Name"] = Operator.Name,
        ["Security:ApiKeys:1:KeySha256"] = Operator.Sha256,
        ["Security:ApiKeys:1:Namespaces:0"] = "*",
        ["Security:ApiKeys:1:Scopes:0"] = "admin",
    };
}

/// <summary>
/// A seeded sweep of 10,000 hostile requests across every endpoint (malformed and deeply nested
/// JSON, random bytes, invalid UTF-8 and surrogates, huge arrays, odd content types, path tricks in
/// namespaces and hashes, injection strings, wrong methods and keys): never a 5xx, never a dropped
/// connection, a healthy service afterwards, and no row written but those the service said it wrote.
/// </summary>
public sealed class HostileInputFuzzTests(FuzzedService service, ITestOutputHelper output) : IClassFixture<FuzzedService>
{
    const int Seed = 20261127;
    const int Requests = 10_000;

    [Fact]
    public async Task Ten_thousand_hostile_requests_get_clear_answers_and_change_nothing_they_were_refused()
    {
        var rowsBefore = await service.Database.ScalarAsync<long>("SELECT count(*) FROM metadata_stamps");
        var workflowsBefore = await service.Database.ScalarAsync<long>("SELECT count(*) FROM workflow_executions");
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 16 };
        using var http = new HttpClient(handler) { BaseAddress = service.Silo.Address, Timeout = TimeSpan.FromMinutes(2) };

        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();
        long created = 0;
        var workflows = new List<(string Id, int Items)>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < Requests; i = Interlocked.Increment(ref next))
            {
                // Each request from its own seed: the sweep is the same whatever the interleaving.
                var hostile = Hostile.Make(new Random(Seed + i));
                try
                {
                    using var request = hostile.ToRequest();
                    using var response = await http.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    lock (statuses) statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                    if ((int)response.StatusCode >= 500)
                    {
                        lock (failures) failures.Add($"#{i} {hostile}: {(int)response.StatusCode} {body[..Math.Min(300, body.Length)]}");
                        continue;
                    }
                    if (response.IsSuccessStatusCode) Count(hostile, response.StatusCode, body, ref created, workflows);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    lock (failures) failures.Add($"#{i} {hostile}: no answer ({e.GetType().Name}: {e.Message})");
                }
            }
        })));

        output.WriteLine("statuses: " + string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        output.WriteLine($"created {created} records, started {workflows.Count} workflows");
        foreach (var failure in failures.Take(20)) output.WriteLine(failure);
        Assert.Empty(failures);

        // Healthy afterwards.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        using var admin = new HttpClient { BaseAddress = service.Silo.Address };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", FuzzedService.Operator.Secret);
        Assert.Equal("healthy", (await admin.GetReplyAsync("/health")).Data.GetProperty("status").GetString());

        // Only what the service said it wrote was written: the workflows it accepted finish, and then
        // the rows are the creations it reported, no more.
        foreach (var (id, _) in workflows)
        {
            await Eventually.TrueAsync(async () => (await admin.GetReplyAsync($"/api/v1/workflows/{id}")).Data.GetProperty("state").GetString() is "completed" or "failed",
                $"workflow {id} ends");
            var results = (await admin.GetReplyAsync($"/api/v1/workflows/{id}")).Data.GetProperty("results");
            if (results.ValueKind == JsonValueKind.Array) created += results.EnumerateArray().Count(r => r.TryGetProperty("created", out var c) && c.GetBoolean());
        }
        Assert.Equal(rowsBefore + created, await service.Database.ScalarAsync<long>("SELECT count(*) FROM metadata_stamps"));
        Assert.Equal(workflowsBefore + workflows.Count, await service.Database.ScalarAsync<long>("SELECT count(*) FROM workflow_executions"));
    }

    static void Count(Hostile hostile, HttpStatusCode status, string body, ref long created, List<(string, int)> workflows)
    {
        using var json = JsonDocument.Parse(body);
        var data = json.RootElement.GetProperty("data");
        if (hostile.Path.EndsWith("/stamp", StringComparison.Ordinal) && status == HttpStatusCode.Created) Interlocked.Increment(ref created);
        else if (hostile.Path.EndsWith("/batch", StringComparison.Ordinal))
            Interlocked.Add(ref created, data.GetProperty("results").EnumerateArray().Count(r => r.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.True));
        else if (hostile.Path == "/api/v1/workflows" && status == HttpStatusCode.Accepted)
            lock (workflows) workflows.Add((data.GetProperty("workflow_id").GetString()!, 0));
    }

    /// <summary>One hostile request: method, path, body, content type and key.</summary>
    sealed record class Hostile(HttpMethod Method, string Path, byte[]? Body, string? ContentType, string? Key, (string Name, string Value)? Header)
    {
        static readonly string[] Injections =
        [
            "'; DROP TABLE metadata_stamps; --", "\" OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://x/a}", "{{7*7}}", "$(rm -rf /)",
            "\u202e\u0000\u0007", "%00%0d%0a", "../../../../etc/passwd", "\\\\server\\share", "𝕳𝖊𝖑𝖑𝖔", "\ufeff", "null", "[]", "{}",
        ];
        static readonly string[] Namespaces =
        [
            "fuzz", "fuzz.a", "../etc", "%2e%2e%2f", "fuzz/../other", "FUZZ", "fuzz..a", ".fuzz", "fuzz.", "fuzz.*", "*", "other.tenant", "fuzz a",
            "fuzz\u0000", "fuzz%00", "ф", "", new string('f', 300), "fuzz.\u202e",
        ];
        static readonly string[] ContentTypes =
        [
            "application/json", "application/json; charset=utf-8", "application/json; charset=utf-16", "text/plain", "application/xml", "multipart/form-data",
            "multipart/form-data; boundary=", "application/octet-stream", "application/x-www-form-urlencoded", "application/json;;;", "*/*", "garbage",
            "application/problem+json", "",
        ];
        static readonly string[] Paths =
        [
            "/api/v1/metadata-stamping/hash", "/api/v1/metadata-stamping/stamp", "/api/v1/metadata-stamping/batch", "/api/v1/metadata-stamping/validate",
            "/api/v1/metadata-stamping/validate-protocol", "/api/v1/workflows", "/api/v1/codegen/generate",
        ];

        public static Hostile Make(Random rng)
        {
            var key = rng.Next(20) switch
            {
                0 => null,
                1 => "not-a-key",
                2 => new string('k', 5000),
                _ => FuzzedService.Tenant.Secret,
            };
            (string, string)? header = rng.Next(40) == 0 ? ("X-Filler", new string('h', rng.Next(1000, 40_000))) : null;
            switch (rng.Next(6))
            {
                case 0:
                    // Reads with tricks in the path.
                    var ns = Uri.EscapeDataString(Pick(rng, Namespaces));
                    var hash = rng.Next(4) switch
                    {
                        0 => new string('A', 64),
                        1 => new string('a', 63),
                        2 => "..%2f..%2f" + new string('a', 54),
                        _ => Convert.ToHexStringLower(Bytes(rng, 32)),
                    };
                    var path = rng.Next(5) switch
                    {
                        3 => $"/api/v1/codegen/sessions/{Pick(rng, [Guid.NewGuid().ToString(), "not-a-guid", "%2e%2e", "00000000-0000-0000-0000-000000000000/package.zip", "x/package.zip"])}",
                        0 => $"/api/v1/metadata-stamping/stamp/{hash}?namespace={ns}",
                        1 => $"/api/v1/metadata-stamping/namespace/{ns}?limit={Pick(rng, ["0", "-1", "1001", "abc", "5", "99999999999999999999"])}&cursor={Pick(rng, ["", "x", "%00", "AAAA", "eyJ9"])}",
                        2 => $"/api/v1/workflows/{Pick(rng, [Guid.NewGuid().ToString(), "not-a-guid", "%2e%2e", "00000000-0000-0000-0000-000000000000"])}",
                        _ => "/api/v1/metadata-stamping/" + Pick(rng, ["stamp/", "namespace/", "../health", "%2e%2e/%2e%2e/health", "hash/extra", "\u202e"]),
                    };
                    return new Hostile(Pick(rng, [HttpMethod.Get, HttpMethod.Get, HttpMethod.Delete, HttpMethod.Put]), path, null, null, key, header);
                default:
                    var target = Pick(rng, Paths);
                    var body = target.StartsWith("/api/v1/codegen", StringComparison.Ordinal) && rng.Next(2) == 0 ? CodegenBody(rng) : MakeBody(rng);
                    return new Hostile(rng.Next(15) == 0 ? Pick(rng, [HttpMethod.Put, HttpMethod.Patch, HttpMethod.Get]) : HttpMethod.Post,
                        target, body, rng.Next(5) == 0 ? Pick(rng, ContentTypes) : "application/json", key, header);
            }
        }

        static byte[] MakeBody(Random rng) => rng.Next(12) switch
        {
            0 => Bytes(rng, rng.Next(0, 4096)),                                                       // random bytes
            1 => Encoding.UTF8.GetBytes(new string('[', rng.Next(10, 200_000))),                    // deep nesting
            2 => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", rng.Next(60, 5000))) + "1" + new string('}', rng.Next(0, 5000))),
            3 => [.. "{\"content\":\""u8, .. Bytes(rng, rng.Next(1, 64)), .. "\",\"namespace\":\"fuzz\"}"u8],   // invalid UTF-8 in a string
            4 => Encoding.UTF8.GetBytes($$"""{"content":"{{Pick(rng, ["\\ud800", "\\udc00\\ud800", "\\ud83d", "a\\u0000b", "\\uZZZZ"])}}","namespace":"fuzz"}"""),
            5 => Encoding.UTF8.GetBytes("{\"namespace\":\"fuzz\",\"items\":[" + string.Join(",", Enumerable.Repeat("{\"content\":\"x\"}", rng.Next(900, 3000))) + "]}"),
            6 => Encoding.UTF8.GetBytes("{\"content\":[" + string.Join(",", Enumerable.Range(0, rng.Next(1000, 50_000))) + "]}"),
            7 => Encoding.UTF8.GetBytes(Truncate(rng, Valid(rng))),                                // cut short
            8 => Encoding.UTF8.GetBytes(WrongTypes(rng)),
            _ => Encoding.UTF8.GetBytes(Valid(rng)),                                                // well-formed, with hostile values
        };

        /// <summary>Code generation requirements with hostile values; about one in five is valid enough to generate.</summary>
        static byte[] CodegenBody(Random rng) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["requirements"] = new Dictionary<string, object?>
            {
                ["node_type"] = Pick(rng, ["effect", "compute", "reducer", "orchestrator", "EFFECT", "", "__proto__"]),
                ["service_name"] = rng.Next(5) == 0 ? "fuzz_node_" + rng.Next(1000) : Pick(rng, Injections),
                ["domain"] = Pick(rng, Injections),
                ["business_description"] = Pick(rng, Injections) + " \"\"\" ''' {{x}} \u2028",
                ["operations"] = Enumerable.Range(0, rng.Next(0, 4)).Select(_ => Pick(rng, Injections)).Append("run").ToArray(),
                ["features"] = rng.Next(2) == 0 ? new[] { Pick(rng, Injections) } : null,
                ["dependencies"] = rng.Next(3) == 0 ? new Dictionary<string, object> { [Pick(rng, Injections)] = Pick(rng, Injections) } : null,
                ["data_models"] = rng.Next(3) == 0 ? new object[] { new { name = Pick(rng, Injections), fields = new Dictionary<string, string> { [Pick(rng, Injections)] = Pick(rng, ["str", "int", "evil"]) } } } : null,
                ["mixins"] = rng.Next(3) == 0 ? new[] { Pick(rng, ["Retry", "CircuitBreaker", "Security", "Nope", ""]) } : null,
            },
            ["strategy"] = rng.Next(3) == 0 ? Pick(rng, ["template", "llm", "hybrid", "auto", "x"]) : "template",
            ["validation_level"] = rng.Next(3) == 0 ? Pick(rng, ["none", "strict", "paranoid"]) : null,
            ["session_id"] = rng.Next(4) == 0 ? Pick(rng, ["not-a-uuid", Guid.NewGuid().ToString()]) : null,
        });

        /// <summary>A well-formed body whose values are hostile strings, namespaces and options.</summary>
        static string Valid(Random rng) => JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["content"] = Pick(rng, Injections) + rng.Next(),
            ["namespace"] = Pick(rng, Namespaces),
            ["file_path"] = rng.Next(3) == 0 ? Pick(rng, Injections) : null,
            ["content_type"] = rng.Next(3) == 0 ? Pick(rng, ["text/x-python", "x", "a/b/c", "text/plain\r\nX: y"]) : null,
            ["metadata"] = rng.Next(3) == 0 ? new Dictionary<string, string> { [Pick(rng, Injections)] = Pick(rng, Injections) } : null,
            ["options"] = rng.Next(3) == 0 ? new { stamp_type = Pick(rng, ["rich", "lightweight", "RICH", "<x>"]), expected_hash = Pick(rng, ["", "zz", new string('a', 64)]) } : null,
            ["items"] = rng.Next(2) == 0 ? Enumerable.Range(0, rng.Next(0, 5)).Select(n => new { content = Pick(rng, Injections) + n, @namespace = Pick(rng, Namespaces) }).ToArray() : null,
            ["target_protocol"] = rng.Next(3) == 0 ? Pick(rng, ["O.N.E.v0.1", "x"]) : null,
            ["validation_level"] = rng.Next(3) == 0 ? Pick(rng, ["basic", "strict", "paranoid"]) : null,
            ["op_id"] = rng.Next(4) == 0 ? Pick(rng, ["not-a-uuid", Guid.NewGuid().ToString()]) : null,
            ["content_base64"] = rng.Next(6) == 0 ? Pick(rng, ["!!!", "AAECAwQ=", "===="]) : null,
        });

        static string WrongTypes(Random rng) => Pick(rng,
        [
            """{"content":12,"namespace":"fuzz"}""", """{"content":{"a":1},"namespace":"fuzz"}""", """{"content":"x","namespace":["fuzz"]}""",
            """{"content":"x","metadata":{"k":{"nested":true}}}""", """{"content":"x","options":"rich"}""", """{"items":{}}""", """{"items":[1,2,3]}""",
            """{"items":[null]}""", """null""", """[]""", """ "just a string" """, """{"content":"x","content":"y"}""", """{"content":"x","namespace":null}""",
            """{"content":1e999}""", """{"content":"x","intelligence_data":{"a":1e999}}""", """{"__proto__":{"x":1}}""",
        ]);

        static string Truncate(Random rng, string json) => json[..rng.Next(0, json.Length)];

        static T Pick<T>(Random rng, T[] from) => from[rng.Next(from.Length)];

        static byte[] Bytes(Random rng, int count)
        {
            var bytes = new byte[count];
            rng.NextBytes(bytes);
            return bytes;
        }

        public HttpRequestMessage ToRequest()
        {
            var request = new HttpRequestMessage(Method, Path);
            if (Body is not null)
            {
                request.Content = new ByteArrayContent(Body);
                if (!string.IsNullOrEmpty(ContentType)) request.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
            if (Key is not null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Key);
            if (Header is { } header) request.Headers.TryAddWithoutValidation(header.Name, header.Value);
            return request;
        }

        public override string ToString() => $"{Method} {Path[..Math.Min(120, Path.Length)]} [{ContentType}] {Body?.Length ?? 0} bytes";
    }
}

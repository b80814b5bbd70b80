using System.Net;
using System.Net.Http.Headers;
using System.Text;
using OmniBridge.Grains.Stamping;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Api.Security;

/// <summary>
/// docs/protocol.md, "Security", tenant by tenant: a key works in its own namespaces and is refused (403) in anyone
/// else's, on every endpoint and for every item, with nothing written there; no key or an unknown
/// key is 401 everywhere but the probes; scopes and rates hold.
/// </summary>
public sealed class TenantIsolationTests(SecuredService service) : IClassFixture<SecuredService>
{
    const string Stamp = ApiCalls.Base + "/stamp";

    static async Task<Reply> Send(HttpClient http, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = System.Net.Http.Json.JsonContent.Create(body);
        return await Reply.ReadAsync(await http.SendAsync(request));
    }

    /// <summary>Whether the operator sees a record for <paramref name="text"/> in <paramref name="ns"/>.</summary>
    async Task<bool> StoredAsync(string ns, string text)
    {
        using var admin = service.As(SecuredService.Admin);
        var hash = CanonicalContent.HashOf(text);
        // The operator may read any namespace only through its admin scope, which includes read.
        return (await admin.GetReplyAsync($"{Stamp}/{hash}?namespace={ns}")).Status == HttpStatusCode.OK;
    }

    [Fact]
    public async Task A_key_works_in_its_own_namespaces()
    {
        using var a = service.As(SecuredService.TenantA);
        Assert.Equal(HttpStatusCode.Created, (await Send(a, HttpMethod.Post, Stamp, new { content = "a's own", @namespace = "tenant.a.docs" })).Status);
        Assert.Equal(HttpStatusCode.OK, (await a.GetReplyAsync($"{Stamp}/{CanonicalContent.HashOf("a's own")}?namespace=tenant.a.docs")).Status);
        Assert.Equal(HttpStatusCode.OK, (await a.GetReplyAsync(ApiCalls.Base + "/namespace/tenant.a.docs")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(a, HttpMethod.Post, ApiCalls.Base + "/batch", new { @namespace = "tenant.a", items = new[] { new { content = "a batch" } } })).Status);
        using var viaHeader = service.As(SecuredService.TenantA, header: true);
        Assert.Equal(HttpStatusCode.OK, (await viaHeader.GetReplyAsync(ApiCalls.Base + "/namespace/tenant.a")).Status);
    }

    [Fact]
    public async Task Every_endpoint_refuses_a_key_in_another_tenants_namespace_and_writes_nothing_there()
    {
        using var a = service.As(SecuredService.TenantA);
        using var b = service.As(SecuredService.TenantB);
        // Tenant b's own things, for a to try to reach.
        Assert.Equal(HttpStatusCode.Created, (await Send(b, HttpMethod.Post, Stamp, new { content = "b's secret", @namespace = "tenant.b.docs" })).Status);
        var workflow = await Send(b, HttpMethod.Post, "/api/v1/workflows", new { @namespace = "tenant.b.docs", items = new[] { new { content = "b's flow" } } });
        Assert.Equal(HttpStatusCode.Accepted, workflow.Status);
        var workflowId = workflow.Data.GetProperty("workflow_id").GetString();

        var attempts = new (string What, HttpMethod Method, string Path, object? Body, string? Written)[]
        {
            ("stamp", HttpMethod.Post, Stamp, new { content = "a into b", @namespace = "tenant.b.docs" }, "a into b"),
            ("read a record", HttpMethod.Get, $"{Stamp}/{CanonicalContent.HashOf("b's secret")}?namespace=tenant.b.docs", null, null),
            ("batch", HttpMethod.Post, ApiCalls.Base + "/batch", new { @namespace = "tenant.b.docs", items = new[] { new { content = "a batch into b" } } }, "a batch into b"),
            ("batch item", HttpMethod.Post, ApiCalls.Base + "/batch",
                new { @namespace = "tenant.a.docs", items = new object[] { new { content = "a item" }, new { content = "a item into b", @namespace = "tenant.b.docs" } } }, "a item into b"),
            ("validate", HttpMethod.Post, ApiCalls.Base + "/validate", new { content = "x", @namespace = "tenant.b.docs" }, null),
            ("list", HttpMethod.Get, ApiCalls.Base + "/namespace/tenant.b.docs", null, null),
            ("start a workflow", HttpMethod.Post, "/api/v1/workflows", new { @namespace = "tenant.b.docs", items = new[] { new { content = "a flow into b" } } }, "a flow into b"),
            ("read a workflow", HttpMethod.Get, $"/api/v1/workflows/{workflowId}", null, null),
        };
        foreach (var (what, method, path, body, written) in attempts)
        {
            var reply = await Send(a, method, path, body);
            Assert.True(reply.Status == HttpStatusCode.Forbidden, $"{what}: {reply}");
            Assert.Equal("FORBIDDEN", reply.ErrorCode);
            if (written is not null) Assert.False(await StoredAsync("tenant.b.docs", written), $"{what} wrote into tenant b");
        }
        // The refused batch wrote nothing at all, not even its allowed item.
        Assert.False(await StoredAsync("tenant.a.docs", "a item"));
        // Nor does a batch stamped in parts whose last item is the one refused: no part is written first.
        var large = Enumerable.Range(0, 999).Select(i => (object)new { content = $"a large item {i}" }).Append(new { content = "the last, into b", @namespace = "tenant.b.docs" });
        var refused = await Send(a, HttpMethod.Post, ApiCalls.Base + "/batch", new { @namespace = "tenant.a.docs", items = large });
        Assert.Equal((HttpStatusCode.Forbidden, "items[999].namespace"), (refused.Status, refused.ErrorField));
        Assert.False(await StoredAsync("tenant.a.docs", "a large item 0"));
        // A namespace that merely starts like a's is not a's.
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(a, HttpMethod.Post, Stamp, new { content = "look-alike", @namespace = "tenant.ab" })).Status);
    }

    [Fact]
    public async Task Without_a_known_key_every_endpoint_but_the_probes_is_401_and_the_probes_say_only_up()
    {
        using var nobody = service.As(null);
        using var stranger = service.As(new TestKey("stranger", ["*"], ["admin"]));
        string[] paths = [Stamp, $"{Stamp}/{new string('a', 64)}", ApiCalls.Base + "/batch", ApiCalls.Base + "/hash", ApiCalls.Base + "/validate",
            ApiCalls.Base + "/validate-protocol", ApiCalls.Base + "/namespace/tenant.a", ApiCalls.Base + "/health", ApiCalls.Base + "/metrics",
            "/api/v1/workflows", $"/api/v1/workflows/{Guid.NewGuid()}", "/health", "/metrics", "/dashboard/", "/openapi/v1.json", "/docs/", "/no/such/route"];
        // Pages a browser opens challenge for Basic, so that the browser asks for the key.
        string[] browserPages = ["/dashboard/", "/openapi/v1.json", "/docs/"];
        foreach (var path in paths)
        {
            foreach (var client in new[] { nobody, stranger })
            {
                var reply = await Send(client, path.Contains("/stamp", StringComparison.Ordinal) && !path.Contains("/stamp/", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get, path);
                Assert.True(reply.Status == HttpStatusCode.Unauthorized, $"{path}: {reply}");
                Assert.Equal("UNAUTHORIZED", reply.ErrorCode);
                Assert.StartsWith(browserPages.Contains(path) ? "Basic realm=" : "Bearer", reply.Response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            }
        }
        foreach (var probe in new[] { "/health/live", "/health/ready", ApiCalls.Base + "/health/live", ApiCalls.Base + "/health/ready" })
        {
            var reply = await nobody.GetReplyAsync(probe);
            Assert.Equal(HttpStatusCode.OK, reply.Status);
            Assert.Equal("""{"status":"up"}""", reply.Data.GetRawText());
        }
    }

    [Fact]
    public async Task A_streamed_stamp_needs_write_in_its_namespace_and_a_refusal_stores_nothing()
    {
        var bytes = Encoding.UTF8.GetBytes("streamed by " + Guid.NewGuid());
        var hash = await B3sum.OfAsync(bytes);
        using var reader = service.As(SecuredService.ReadOnlyA);
        using var other = service.As(SecuredService.TenantB);
        using var owner = service.As(SecuredService.TenantA);
        using var anonymous = service.As(null);
        using var admin = service.As(SecuredService.Admin);

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostBytesAsync(Stamp + "?namespace=tenant.a.docs", bytes, "application/octet-stream")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostBytesAsync(Stamp + "?namespace=tenant.a.docs", bytes, "application/octet-stream")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostBytesAsync(Stamp + "?namespace=tenant.a.docs", bytes, "application/octet-stream")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetReplyAsync($"{Stamp}/{hash}?namespace=tenant.a.docs")).Status);
        Assert.Equal(HttpStatusCode.Created, (await owner.PostBytesAsync(Stamp + "?namespace=tenant.a.docs", bytes, "application/octet-stream")).Status);
    }

    [Fact]
    public async Task Scopes_hold_read_only_keys_cannot_write_and_operations_need_admin()
    {
        using var reader = service.As(SecuredService.ReadOnlyA);
        var refused = await Send(reader, HttpMethod.Post, Stamp, new { content = "reader writes", @namespace = "tenant.a.docs" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("write", refused.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(await StoredAsync("tenant.a.docs", "reader writes"));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetReplyAsync(ApiCalls.Base + "/namespace/tenant.a.docs")).Status);
        // Endpoints in no namespace need only read.
        Assert.Equal(HttpStatusCode.OK, (await Send(reader, HttpMethod.Post, ApiCalls.Base + "/hash", new { content = "x" })).Status);

        using var tenant = service.As(SecuredService.TenantA);
        using var admin = service.As(SecuredService.Admin);
        foreach (var path in new[] { "/health", ApiCalls.Base + "/health", "/metrics", ApiCalls.Base + "/metrics", "/dashboard/" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
        }
        var health = await admin.GetReplyAsync("/health");
        Assert.Equal("api_keys", health.Data.GetProperty("authentication").GetString());
    }

    [Fact]
    public async Task A_browser_opens_the_dashboard_and_the_docs_with_the_key_as_its_basic_password()
    {
        static HttpClient Basic(SecuredService service, string user, string password)
        {
            var http = service.As(null);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
            return http;
        }
        using var admin = Basic(service, "anyone", SecuredService.Admin.Secret);
        using var reader = Basic(service, "", SecuredService.ReadOnlyA.Secret);
        using var wrong = Basic(service, "operator", "not-a-key");

        // The dashboard needs admin; the documentation and its document, read.
        Assert.Contains("<html", await admin.GetStringAsync("/dashboard/"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/dashboard/DashboardCounters")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/docs/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/openapi/v1.json")).StatusCode);

        var refused = await wrong.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.StartsWith("Basic realm=", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        // Basic is for pages: the API itself still takes keys only as a bearer token or X-API-Key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync(ApiCalls.Base + "/metrics")).StatusCode);
    }

    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_retry_after()
    {
        using var limited = service.As(SecuredService.Limited);
        var statuses = new List<HttpStatusCode>();
        Reply last = null!;
        for (var i = 0; i < 7; i++)
        {
            last = await limited.GetReplyAsync(ApiCalls.Base + "/namespace/tenant.l");
            statuses.Add(last.Status);
        }
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, last.Status);
        Assert.Equal("RATE_LIMITED", last.ErrorCode);
        Assert.True(int.Parse(last.Response.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) is > 0 and <= 60);
        // Another key is not held back by this one.
        using var a = service.As(SecuredService.TenantA);
        Assert.Equal(HttpStatusCode.OK, (await a.GetReplyAsync(ApiCalls.Base + "/namespace/tenant.a")).Status);
    }

    [Fact]
    public async Task Code_generation_needs_write_and_a_session_is_read_only_by_its_key_or_an_operator()
    {
        var body = new { requirements = Codegen.CodegenRequestBodies.Requirements("tenant_node"), strategy = "template" };
        using var reader = service.As(SecuredService.ReadOnlyA);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(reader, HttpMethod.Post, Codegen.CodegenRequestBodies.Generate, body)).Status);
        using var a = service.As(SecuredService.TenantA);
        var made = await Send(a, HttpMethod.Post, Codegen.CodegenRequestBodies.Generate, body);
        Assert.Equal(HttpStatusCode.OK, made.Status);
        var session = $"{Codegen.CodegenRequestBodies.Sessions}/{made.Data.GetProperty("session_id").GetString()}";
        Assert.Equal(HttpStatusCode.OK, (await a.GetReplyAsync(session)).Status);
        using var b = service.As(SecuredService.TenantB);
        var refused = await b.GetReplyAsync(session);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await b.GetAsync(session + "/package.zip")).StatusCode);
        using var admin = service.As(SecuredService.Admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetReplyAsync(session)).Status);
    }
}

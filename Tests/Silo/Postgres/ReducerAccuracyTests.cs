using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>A service on PostgreSQL whose reducers never sweep the store: every count must come through the streams.</summary>
public sealed class StreamsOnlyService : PostgresService
{
    protected override void ConfigureServices(IServiceCollection services) => services.WithoutReducerSweep();
}

/// <summary>
/// docs/architecture.md, "Reducers": once the streams drain, every namespace's aggregates equal what metadata_stamps
/// holds for it. 10,000 stamps over 50 namespaces from concurrent callers, through /stamp,
/// /batch and workflows, on PostgreSQL, with the reducers' store sweep turned off.
/// </summary>
public sealed class ReducerAccuracyTests(StreamsOnlyService service) : IClassFixture<StreamsOnlyService>
{
    const int Namespaces = 50;
    const int PerNamespace = 200;
    static readonly string[] Types = ["text/plain", "text/x-python", "application/json"];
    static readonly string[] Paths = ["src/a.py", "lib/b.PY", "docs/c.md", "Makefile", "d.tar.gz", null!];

    HttpClient Http => service.Silo.Http;

    [Fact]
    public async Task Aggregates_equal_sql_over_metadata_stamps_for_ten_thousand_stamps_in_fifty_namespaces()
    {
        var work = new List<Func<Task>>();
        for (var n = 0; n < Namespaces; n++)
        {
            var ns = $"pg.acc.n{n:D2}";
            var items = Enumerable.Range(0, PerNamespace).Select(i => Item(n, i)).ToList();
            // 150 items in batches of 25, 40 one by one, 10 in a workflow.
            work.AddRange(items.Take(150).Chunk(25).Select(chunk => (Func<Task>)(() => ExpectAsync(Http.PostJsonAsync(ApiCalls.Base + "/batch", new { @namespace = ns, items = chunk }), HttpStatusCode.OK))));
            work.AddRange(items.Skip(150).Take(40).Select(item => (Func<Task>)(() => ExpectAsync(Http.PostJsonAsync(ApiCalls.Base + "/stamp", new Dictionary<string, object?>(item) { ["namespace"] = ns }), HttpStatusCode.Created))));
            work.Add(() => ExpectAsync(Http.PostJsonAsync("/api/v1/workflows", new { @namespace = ns, items = items.Skip(190) }), HttpStatusCode.Accepted));
        }
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < work.Count; i = Interlocked.Increment(ref next)) await work[i]();
        })));

        // Workflows run in the background: wait until theirs are stored too.
        await Eventually.TrueAsync(async () => await service.Database.ScalarAsync<long>("SELECT count(*) FROM metadata_stamps WHERE namespace LIKE 'pg.acc.%'") == Namespaces * PerNamespace,
            "every stamp is stored", TimeSpan.FromSeconds(60));
        for (var n = 0; n < Namespaces; n++)
        {
            var ns = $"pg.acc.n{n:D2}";
            JsonElement aggregates = default;
            await Eventually.TrueAsync(async () =>
            {
                aggregates = (await Http.GetReplyAsync($"{ApiCalls.Base}/namespace/{ns}?limit=1")).Data.GetProperty("aggregates");
                return aggregates.GetProperty("total_stamps").GetInt64() == PerNamespace;
            }, $"{ns} is folded", TimeSpan.FromSeconds(60));
            await AggregatesSql.AssertEqualAsync(service.Database.Data, ns, aggregates);
        }
    }

    static Dictionary<string, object?> Item(int n, int i) => new()
    {
        ["content"] = $"namespace {n} item {i} " + new string('x', (i * 37 + n) % 3000),
        ["content_type"] = Types[(i + n) % Types.Length],
        ["file_path"] = Paths[i % Paths.Length],
    };

    static async Task ExpectAsync(Task<Reply> call, HttpStatusCode status)
    {
        var reply = await call;
        Assert.True(reply.Status == status, reply.ToString());
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OmniBridge.Grains.Reducers;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>A service on PostgreSQL whose reducers never sweep the store: every count must come through the streams.</summary>
public sealed class StreamsOnlyService : PostgresService
{
    protected override void ConfigureServices(IServiceCollection services) =>
        services.Configure<ReducerOptions>(o => o.SweepEvery = Timeout.InfiniteTimeSpan);
}

/// <summary>
/// SPEC §5.2: once the streams drain, every namespace's aggregates equal what metadata_stamps
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
            await AssertEqualsSqlAsync(ns, aggregates);
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

    async Task AssertEqualsSqlAsync(string ns, JsonElement aggregates)
    {
        await using var command = service.Database.Data.CreateCommand("""
            SELECT count(*), sum(file_size), min(created_at), max(created_at), avg(processing_time_ms), count(DISTINCT workflow_id),
                   count(*) FILTER (WHERE file_size < 1024), count(*) FILTER (WHERE file_size >= 1024 AND file_size < 65536),
                   count(*) FILTER (WHERE file_size >= 65536 AND file_size < 1048576),
                   count(*) FILTER (WHERE file_size >= 1048576 AND file_size < 67108864), count(*) FILTER (WHERE file_size >= 67108864),
                   count(DISTINCT lower(substring(regexp_replace(file_path, '^.*[/\\]', '') FROM '^.+\.([^.]+)$')))
            FROM metadata_stamps WHERE namespace = @ns
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("ns", ns));
        await using (var row = await command.ExecuteReaderAsync())
        {
            await row.ReadAsync();
            Assert.Equal(row.GetInt64(0), aggregates.GetProperty("total_stamps").GetInt64());
            Assert.Equal(row.GetInt64(1), aggregates.GetProperty("total_size_bytes").GetInt64());
            Assert.Equal(Iso(row.GetDateTime(2)), aggregates.GetProperty("first_stamp_at").GetString());
            Assert.Equal(Iso(row.GetDateTime(3)), aggregates.GetProperty("last_stamp_at").GetString());
            Assert.Equal(row.GetDouble(4), aggregates.GetProperty("mean_processing_time_ms").GetDouble(), tolerance: 1e-9);
            Assert.Equal(row.GetInt64(5), aggregates.GetProperty("workflows_seen").GetInt32());
            var buckets = aggregates.GetProperty("size_buckets");
            Assert.Equal([row.GetInt64(6), row.GetInt64(7), row.GetInt64(8), row.GetInt64(9), row.GetInt64(10)],
                new[] { "under_1kib", "under_64kib", "under_1mib", "under_64mib", "larger" }.Select(b => buckets.GetProperty(b).GetInt64()));
            Assert.Equal(row.GetInt64(11), aggregates.GetProperty("unique_file_types_count").GetInt32());
        }

        await using var types = service.Database.Data.CreateCommand("SELECT content_type, count(*) FROM metadata_stamps WHERE namespace = @ns GROUP BY content_type");
        types.Parameters.Add(new NpgsqlParameter<string>("ns", ns));
        var expected = new Dictionary<string, long>();
        await using (var rows = await types.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync()) expected[rows.GetString(0)] = rows.GetInt64(1);
        }
        Assert.Equal(expected, aggregates.GetProperty("content_types").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()));

        await using var minutes = service.Database.Data.CreateCommand("""
            SELECT date_trunc('minute', created_at), count(*) FROM metadata_stamps
            WHERE namespace = @ns AND created_at > date_trunc('minute', now()) - interval '60 minutes'
            GROUP BY 1 ORDER BY 1
            """);
        minutes.Parameters.Add(new NpgsqlParameter<string>("ns", ns));
        var perMinute = new List<(string, long)>();
        await using (var rows = await minutes.ExecuteReaderAsync())
        {
            while (await rows.ReadAsync()) perMinute.Add((Iso(rows.GetDateTime(0)), rows.GetInt64(1)));
        }
        Assert.Equal(perMinute, aggregates.GetProperty("per_minute").EnumerateArray().Select(m => (m.GetProperty("minute").GetString()!, m.GetProperty("count").GetInt64())));
    }

    static string Iso(DateTime utc) => utc.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

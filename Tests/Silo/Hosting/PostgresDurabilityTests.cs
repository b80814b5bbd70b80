using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Tests.Silo.Postgres;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>What a silo process on PostgreSQL promises when things go wrong: a killed silo loses nothing, an outage is a prompt 503, recovery needs no restart.</summary>
public sealed class PostgresDurabilityTests
{
    const string Stamp = ApiCalls.Base + "/stamp";

    [Fact]
    public async Task Every_accepted_stamp_survives_a_SIGKILL_of_its_silo()
    {
        await using var database = new PostgresDatabase();
        await database.InitializeAsync();
        var settings = new Dictionary<string, string>(database.Settings) { ["CLUSTER_ID"] = "durability" };

        var hashes = new List<string>();
        await using (var first = await ServiceProcess.StartReadyAsync(settings))
        {
            var batch = await first.Http.PostJsonAsync(ApiCalls.Base + "/batch", new { @namespace = "pg.durable", items = Enumerable.Range(0, 150).Select(i => new { content = $"batch item {i}" }) });
            Assert.Equal(HttpStatusCode.OK, batch.Status);
            hashes.AddRange(batch.Data.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("file_hash").GetString()!));
            foreach (var i in Enumerable.Range(0, 50))
            {
                var single = await first.Http.PostJsonAsync(Stamp, new { content = $"single item {i}", @namespace = "pg.durable" });
                Assert.Equal(HttpStatusCode.Created, single.Status);
                hashes.Add(single.Data.GetProperty("file_hash").GetString()!);
            }
            Process.GetProcessById(first.Id).Kill();   // SIGKILL: no shutdown, no flush
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        await using var second = await ServiceProcess.StartReadyAsync(settings);
        foreach (var hash in hashes)
        {
            var read = await second.Http.GetReplyAsync($"{ApiCalls.Base}/stamp/{hash}?namespace=pg.durable");
            Assert.Equal(HttpStatusCode.OK, read.Status);
        }
        Assert.Equal(200L, await database.ScalarAsync<long>("SELECT count(*) FROM metadata_stamps WHERE namespace = 'pg.durable'"));
    }

    [Fact]
    public async Task Twenty_concurrent_identical_requests_make_one_row_and_one_stamp_id()
    {
        await using var database = new PostgresDatabase();
        await database.InitializeAsync();
        await using var service = await ServiceProcess.StartReadyAsync(database.Settings);

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => service.Http.PostJsonAsync(Stamp, new { content = "one and only", @namespace = "pg.race" })));

        Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
        Assert.Equal(19, replies.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Single(replies.Select(r => r.Data.GetProperty("stamp_id").GetString()).Distinct());
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM metadata_stamps WHERE namespace = 'pg.race'"));
    }

    [Fact]
    public async Task A_stopped_database_is_a_prompt_503_and_the_silo_recovers_when_it_returns()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        await using var database = new PrivateDatabase(server);
        await database.InitializeAsync();
        await using var service = await ServiceProcess.StartReadyAsync(database.Settings);
        Assert.Equal(HttpStatusCode.Created, (await service.Http.PostJsonAsync(Stamp, new { content = "before", @namespace = "pg.outage" })).Status);

        await server.StopAsync();

        var started = Stopwatch.GetTimestamp();
        var during = await service.Http.PostJsonAsync(Stamp, new { content = "during", @namespace = "pg.outage" });
        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Status);
        Assert.Equal("DEPENDENCY_UNAVAILABLE", during.ErrorCode);
        Assert.True(during.Response.Headers.RetryAfter is not null, "503 carries Retry-After");
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"the 503 took {elapsed.TotalSeconds:F1} s");
        var lookup = await service.Http.GetReplyAsync($"{ApiCalls.Base}/stamp/{new string('a', 64)}?namespace=pg.outage");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, lookup.Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await service.Http.GetAsync("/health/ready")).StatusCode);
        var workflow = await service.Http.PostJsonAsync("/api/v1/workflows", new { @namespace = "pg.outage", items = new[] { new { content = "during" } } });
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE"), (workflow.Status, workflow.ErrorCode));
        var unknownWorkflow = await service.Http.GetReplyAsync($"/api/v1/workflows/{Guid.NewGuid()}");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "DEPENDENCY_UNAVAILABLE"), (unknownWorkflow.Status, unknownWorkflow.ErrorCode));
        var health = await service.Http.GetReplyAsync(ApiCalls.Base + "/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.Status);
        Assert.Equal("components.postgres", health.ErrorField);

        await server.ResumeAsync();

        await Eventually.TrueAsync(async () => (await service.Http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK, "ready again", TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(async () => (await service.Http.PostJsonAsync(Stamp, new { content = "after", @namespace = "pg.outage" })).Status == HttpStatusCode.Created,
            "stamping works again", TimeSpan.FromSeconds(30));
        var listing = await service.Http.GetReplyAsync(ApiCalls.Base + "/namespace/pg.outage");
        Assert.Equal(["after", "before"], listing.Data.GetProperty("stamps").EnumerateArray()
            .Select(s => s.GetProperty("file_size").GetInt64() == 5 ? "after" : "before"));
    }

    [Fact]
    public async Task A_database_that_hangs_is_a_503_within_5_seconds_too()
    {
        await using var server = await PostgresServer.StartPrivateAsync();
        await using var database = new PrivateDatabase(server);
        await database.InitializeAsync();
        await using var service = await ServiceProcess.StartReadyAsync(database.Settings);
        Assert.Equal(HttpStatusCode.Created, (await service.Http.PostJsonAsync(Stamp, new { content = "before", @namespace = "pg.hang" })).Status);

        await server.FreezeAsync();
        try
        {
            var started = Stopwatch.GetTimestamp();
            var during = await service.Http.PostJsonAsync(Stamp, new { content = "during", @namespace = "pg.hang" });
            var elapsed = Stopwatch.GetElapsedTime(started);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, during.Status);
            Assert.Equal("DEPENDENCY_UNAVAILABLE", during.ErrorCode);
            Assert.Contains("postgres", during.FirstError.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.True(elapsed < TimeSpan.FromSeconds(5), $"the 503 took {elapsed.TotalSeconds:F1} s");
        }
        finally
        {
            await server.ThawAsync();
        }
        await Eventually.TrueAsync(async () => (await service.Http.PostJsonAsync(Stamp, new { content = "after", @namespace = "pg.hang" })).Status == HttpStatusCode.Created,
            "stamping works again", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_migration_that_fails_or_a_missing_database_stops_start_up_with_one_line_that_says_why()
    {
        await using var database = new EmptyDatabase();
        await database.InitializeAsync();
        await using (var clash = database.Data.CreateCommand("CREATE TABLE metadata_stamps (id integer)"))
        {
            await clash.ExecuteNonQueryAsync();
        }

        await using (var failing = ServiceProcess.Start(database.Settings, arguments: ["migrate"]))
        {
            Assert.Equal(2, await failing.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("0005_metadata_stamps.sql", failing.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(), StringComparison.Ordinal);
        }
        Assert.Equal(4L, await database.ScalarAsync<long>("SELECT count(*) FROM omnibridge_schema_migrations"));

        var missing = new Dictionary<string, string>(database.Settings) { ["POSTGRES_DB"] = "no_such_database" };
        await using var nowhere = ServiceProcess.Start(missing);
        Assert.Equal(2, await nowhere.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("POSTGRES_DB", nowhere.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_migrate_command_applies_the_schema_and_a_changed_script_stops_the_silo()
    {
        await using var database = new EmptyDatabase();
        await database.InitializeAsync();

        await using (var migrate = ServiceProcess.Start(database.Settings, arguments: ["migrate"]))
        {
            Assert.Equal(0, await migrate.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("is up to date", migrate.Output, StringComparison.Ordinal);
        }
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'metadata_stamps'"));

        await using (var command = database.Data.CreateCommand("UPDATE omnibridge_schema_migrations SET checksum = repeat('0', 64) WHERE version = 5"))
        {
            await command.ExecuteNonQueryAsync();
        }
        await using var refused = ServiceProcess.Start(database.Settings);
        Assert.NotEqual(0, await refused.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("0005_metadata_stamps.sql", refused.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(), StringComparison.Ordinal);
    }

    /// <summary>A database on a server of the test's own.</summary>
    sealed class PrivateDatabase(PostgresServer server) : PostgresDatabase
    {
        protected override Task<PostgresServer> ServerAsync() => Task.FromResult(server);
    }
}

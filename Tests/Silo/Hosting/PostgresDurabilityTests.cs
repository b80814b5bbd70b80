using System.Diagnostics;
using System.Net;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Tests.Silo.Postgres;

namespace OmniBridge.Tests.Silo.Hosting;

/// <summary>What a silo process on PostgreSQL promises when things go wrong: a killed silo loses nothing, a schema that cannot be applied stops start-up with the reason (outages: <see cref="PostgresOutageTests"/>).</summary>
public sealed class PostgresDurabilityTests
{
    const string Stamp = ApiCalls.Base + "/stamp";

    [Fact]
    public async Task Every_accepted_stamp_survives_a_SIGKILL_of_its_silo()
    {
        await using var database = await PostgresDatabase.CreateAsync();
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
        await using var database = await PostgresDatabase.CreateAsync();
        await using var service = await ServiceProcess.StartReadyAsync(database.Settings);

        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => service.Http.PostJsonAsync(Stamp, new { content = "one and only", @namespace = "pg.race" })));

        Assert.Single(replies, r => r.Status == HttpStatusCode.Created);
        Assert.Equal(19, replies.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Single(replies.Select(r => r.Data.GetProperty("stamp_id").GetString()).Distinct());
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM metadata_stamps WHERE namespace = 'pg.race'"));
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
            Assert.Contains("0005_metadata_stamps.sql", Assert.Single(failing.ErrorLines), StringComparison.Ordinal);
        }
        Assert.Equal(4L, await database.ScalarAsync<long>("SELECT count(*) FROM omnibridge_schema_migrations"));

        var missing = new Dictionary<string, string>(database.Settings) { ["POSTGRES_DB"] = "no_such_database" };
        await using var nowhere = ServiceProcess.Start(missing);
        Assert.Equal(2, await nowhere.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("POSTGRES_DB", Assert.Single(nowhere.ErrorLines), StringComparison.Ordinal);
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
        Assert.Contains("0005_metadata_stamps.sql", Assert.Single(refused.ErrorLines), StringComparison.Ordinal);
    }
}

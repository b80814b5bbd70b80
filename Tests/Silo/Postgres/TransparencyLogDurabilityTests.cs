using System.Diagnostics;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Tests.Transparency;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>
/// A silo killed while its log integrates (docs/transparency.md, "Integration"): the next silo
/// takes in what was left, and every record has exactly one leaf, indices 0..n-1 with no gap or repeat.
/// </summary>
public sealed class TransparencyLogDurabilityTests
{
    [Fact]
    public async Task A_SIGKILL_during_integration_leaves_indices_0_to_n_minus_1_with_no_gap_or_repeat()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        const string ns = "pg.log.kill";
        var settings = new Dictionary<string, string>(database.Settings)
        {
            ["CLUSTER_ID"] = "log-kill",
            ["LOG_INTEGRATE_MS"] = "10",
            ["LOG_CHECKPOINT_MS"] = "10",
        };

        await using (var first = await ServiceProcess.StartReadyAsync(settings))
        {
            using var load = new StampLoad(first.Http, ns, callers: 8);
            load.Start();
            await load.AcceptedAsync(200, what: "the load runs");
            // Kill while records both have leaves and wait for them: integration is under way.
            await Eventually.TrueAsync(async () => await database.ScalarAsync<long>($"SELECT count(*) FROM transparency_log_leaves WHERE namespace = '{ns}'") > 0
                && await database.ScalarAsync<long>(Waiting(ns)) > 0, "leaves written while records still wait");
            Process.GetProcessById(first.Id).Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
            await load.StopAsync();
        }

        var records = await database.ScalarAsync<long>($"SELECT count(*) FROM metadata_stamps WHERE namespace = '{ns}'");
        await using var second = await ServiceProcess.StartReadyAsync(settings);
        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>(Waiting(ns)) == 0,
            "the second silo integrates what was left", TimeSpan.FromSeconds(60));

        // Each record's leaf (its stamp_id is unique among leaves), indices 0..n-1, and nothing left waiting.
        const string recordLeaves = "transparency_log_leaves l JOIN metadata_stamps m ON m.stamp_id = l.stamp_id AND m.namespace = l.namespace";
        Assert.Equal(records, await database.ScalarAsync<long>($"SELECT count(DISTINCT l.leaf_index) FROM {recordLeaves} WHERE l.namespace = '{ns}'"));
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT min(l.leaf_index) FROM {recordLeaves} WHERE l.namespace = '{ns}'"));
        Assert.Equal(records - 1, await database.ScalarAsync<long>($"SELECT max(l.leaf_index) FROM {recordLeaves} WHERE l.namespace = '{ns}'"));
        Assert.Equal(records, await database.ScalarAsync<long>($"SELECT count(*) FROM transparency_log_leaves WHERE namespace = '{ns}'"));
        Assert.Equal(records, await database.ScalarAsync<long>($"SELECT tree_size FROM transparency_logs WHERE namespace = '{ns}'"));
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM transparency_log_backlog WHERE namespace = '{ns}'"));

        // The signed tree is the one the leaves make.
        SignedNote? note = null;
        await Eventually.TrueAsync(async () =>
        {
            note = SignedNote.Parse(await second.Http.GetStringAsync($"/api/v1/transparency/{ns}/checkpoint"));
            return note.Size == records;
        }, "a checkpoint of every record");
        var leaves = new List<byte[]>();
        for (var start = 0L; start < records; start += 1000)
        {
            var page = await second.Http.GetReplyAsync($"/api/v1/transparency/{ns}/entries?start={start}&limit=1000");
            leaves.AddRange(page.Data.GetProperty("entries").EnumerateArray().Select(e => Convert.FromBase64String(e.GetProperty("leaf").GetString()!)));
        }
        Assert.Equal(note!.Root, Rfc9162.Root(leaves));
    }

    [Fact]
    public async Task Records_made_while_the_log_was_off_are_integrated_in_creation_order_once_it_is_on()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        const string ns = "pg.log.later";
        var settings = new Dictionary<string, string>(database.Settings) { ["CLUSTER_ID"] = "log-later", ["LOG_ENABLED"] = "false" };
        var hashes = new List<string>();
        await using (var off = await ServiceProcess.StartReadyAsync(settings))
        {
            for (var i = 0; i < 5; i++) hashes.Add((await off.Http.StampAsync($"made while the log was off {i}", ns)).GetProperty("file_hash").GetString()!);
            off.Terminate();
            await off.WaitForExitAsync(TimeSpan.FromSeconds(60));
        }
        Assert.Equal(5L, await database.ScalarAsync<long>(Waiting(ns)));

        settings["LOG_ENABLED"] = "true";
        await using var on = await ServiceProcess.StartReadyAsync(settings);
        await Eventually.TrueAsync(async () => await database.ScalarAsync<long>(Waiting(ns)) == 0,
            "the log takes in the records made before it was on");
        for (var i = 0; i < hashes.Count; i++)
        {
            var record = await on.Http.GetReplyAsync($"{ApiCalls.Base}/stamp/{hashes[i]}?namespace={ns}");
            Assert.Equal(i, record.Data.GetProperty("log_index").GetInt64());
        }
    }

    /// <summary>The records of <paramref name="ns"/> that have no leaf yet, counted.</summary>
    static string Waiting(string ns) =>
        $"SELECT count(*) FROM metadata_stamps m WHERE m.namespace = '{ns}' AND NOT EXISTS (SELECT 1 FROM transparency_log_leaves l WHERE l.stamp_id = m.stamp_id)";
}

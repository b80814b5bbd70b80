using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using OmniBridge.Grains.Transparency;
using OmniBridge.Silo.Postgres;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Tests.Transparency;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>An empty database, for migration tests to start from nothing.</summary>
public sealed class EmptyDatabase : PostgresDatabase
{
    protected override bool Migrate => false;
}

public sealed class SchemaMigrationTests
{
    static SchemaMigrator Migrator(PostgresDatabase database) => new(database.Data, NullLogger<SchemaMigrator>.Instance);

    [Fact]
    public async Task Every_script_is_applied_once_in_order_and_recorded_with_its_checksum()
    {
        await using var database = await StartAsync(new EmptyDatabase());
        var scripts = MigrationScript.Embedded;

        var first = await Migrator(database).MigrateAsync(scripts, CancellationToken.None);
        var second = await Migrator(database).MigrateAsync(scripts, CancellationToken.None);

        Assert.Equal(scripts.Select(s => s.Name), first);
        Assert.Empty(second);
        Assert.Equal((long)scripts.Count, await database.ScalarAsync<long>("SELECT count(*) FROM omnibridge_schema_migrations"));
        Assert.Equal(scripts[^1].Checksum, await database.ScalarAsync<string>($"SELECT checksum FROM omnibridge_schema_migrations WHERE version = {scripts[^1].Version}"));
    }

    [Fact]
    public async Task Silos_migrating_together_take_turns_and_apply_each_script_once()
    {
        await using var database = await StartAsync(new EmptyDatabase());

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => Task.Run(() => Migrator(database).MigrateAsync(MigrationScript.Embedded, CancellationToken.None))));

        Assert.Equal(MigrationScript.Embedded.Count, results.Sum(r => r.Count));
        Assert.Equal((long)MigrationScript.Embedded.Count, await database.ScalarAsync<long>("SELECT count(*) FROM omnibridge_schema_migrations"));
    }

    [Fact]
    public async Task A_changed_applied_script_stops_the_migration()
    {
        await using var database = await StartAsync(new EmptyDatabase());
        await Migrator(database).MigrateAsync(MigrationScript.Embedded, CancellationToken.None);
        var edited = MigrationScript.Embedded.Select(s => s.Version == 5 ? s with { Sql = s.Sql + "\n-- edited after release\n" } : s).ToList();

        var drift = await Assert.ThrowsAsync<SchemaDriftException>(() => Migrator(database).MigrateAsync(edited, CancellationToken.None));
        Assert.Contains("0005_metadata_stamps.sql", drift.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_later_script_is_applied_on_top_of_an_existing_schema()
    {
        await using var database = await StartAsync(new EmptyDatabase());
        await Migrator(database).MigrateAsync(MigrationScript.Embedded.Take(3).ToList(), CancellationToken.None);

        var rest = await Migrator(database).MigrateAsync(MigrationScript.Embedded, CancellationToken.None);

        Assert.Equal(MigrationScript.Embedded.Skip(3).Select(s => s.Name), rest);
    }

    [Fact]
    public async Task The_scripts_are_idempotent_when_run_again_by_hand()
    {
        await using var database = await StartAsync(new EmptyDatabase());
        foreach (var round in new[] { 1, 2 })
        {
            foreach (var script in MigrationScript.Embedded)
            {
                await using var command = database.Data.CreateCommand(script.Sql);
                await command.ExecuteNonQueryAsync();
            }
        }
        Assert.Equal(20L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansQuery"));
    }

    [Fact]
    public async Task Every_query_key_the_orleans_providers_need_is_there()
    {
        await using var database = await StartAsync(new EmptyDatabase());
        await Migrator(database).MigrateAsync(MigrationScript.Embedded, CancellationToken.None);
        string[] keys =
        [
            "ReadFromStorageKey", "WriteToStorageKey", "ClearStorageKey", "DeleteStorageKey",
            "InsertMembershipVersionKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipKey", "UpdateMembershipKey",
            "UpdateIAmAlivetimeKey", "GatewaysQueryKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey",
            "ReadReminderRowsKey", "ReadReminderRowKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "UpsertReminderRowKey",
            "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];
        foreach (var key in keys)
        {
            Assert.Equal(1L, await database.ScalarAsync<long>($"SELECT count(*) FROM OrleansQuery WHERE QueryKey = '{key}'"));
        }
    }

    [Fact]
    public async Task A_log_stored_one_row_per_hash_proves_the_same_once_its_hashes_are_moved_into_tiles()
    {
        await using var database = await StartAsync(new EmptyDatabase());
        await Migrator(database).MigrateAsync([.. MigrationScript.Embedded.Where(s => s.Version <= 13)], CancellationToken.None);
        // The log as migration 0013 stored it: every node of the tree in a row of its own.
        var leaves = Enumerable.Range(0, 1_000).Select(i => Encoding.UTF8.GetBytes($"leaf {i}\n")).ToList();
        var nodes = MerkleTree.Append(0, [], [.. leaves.Select(l => MerkleHash.Leaf(l))]);
        await using (var insert = database.Data.CreateCommand("""
            INSERT INTO transparency_logs (namespace, tree_size) VALUES ('old.log', 1000);
            INSERT INTO transparency_log_nodes (namespace, level, node_index, hash) SELECT 'old.log', v, i, h FROM unnest(@levels, @indices, @hashes) AS x(v, i, h);
            """))
        {
            insert.Parameters.Add(new NpgsqlParameter<short[]>("levels", [.. nodes.Select(n => (short)n.Node.Level)]));
            insert.Parameters.Add(new NpgsqlParameter<long[]>("indices", [.. nodes.Select(n => n.Node.Index)]));
            insert.Parameters.Add(new NpgsqlParameter("hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = nodes.Select(n => n.Hash).ToArray() });
            await insert.ExecuteNonQueryAsync();
        }

        Assert.Contains("0014_transparency_log_tiles.sql", await Migrator(database).MigrateAsync(MigrationScript.Embedded, CancellationToken.None));

        Assert.False(await database.ScalarAsync<bool>("SELECT to_regclass('transparency_log_nodes') IS NOT NULL"));
        using var log = new PostgresTransparencyLog(database.Data);
        var reader = new LogReader(log);
        foreach (var size in new[] { 1, 127, 128, 129, 300, 1_000 })
        {
            var root = Rfc9162.Root(leaves[..size]);
            Assert.Equal(root, await reader.RootAsync("old.log", size));
            foreach (var index in new[] { 0, size / 3, size - 1 })
                Assert.True(Rfc9162.VerifyInclusion(index, size, Rfc9162.LeafHash(leaves[index]), await reader.InclusionAsync("old.log", index, size), root), $"leaf {index} of {size}");
        }
    }

    [Fact]
    public async Task The_run_signal_log_comes_on_top_of_an_existing_schema_and_refuses_a_signal_no_coordinator_sends()
    {
        await using var database = await StartAsync(new EmptyDatabase());
        await Migrator(database).MigrateAsync([.. MigrationScript.Embedded.Where(s => s.Version < 16)], CancellationToken.None);

        Assert.Contains("0016_codegen_run_signals.sql", await Migrator(database).MigrateAsync(MigrationScript.Embedded, CancellationToken.None));

        const string insert = "INSERT INTO codegen_run_signals (run_id, seq, signal_id, signal_type, sender, at, data) VALUES (gen_random_uuid(), {0}, gen_random_uuid(), '{1}', 'coordinator', now(), '{{}}')";
        await database.ScalarAsync<long>(string.Format(System.Globalization.CultureInfo.InvariantCulture, insert + " RETURNING seq", 1, "stage_completed"));
        foreach (var (seq, type) in new[] { (0, "stage_completed"), (1, "run_exploded") })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => database.ScalarAsync<long>(string.Format(System.Globalization.CultureInfo.InvariantCulture, insert + " RETURNING seq", seq, type)));
            Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
        }
    }

    static async Task<PostgresDatabase> StartAsync(PostgresDatabase database)
    {
        await database.InitializeAsync();
        return database;
    }
}

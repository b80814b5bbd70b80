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

    [Fact]
    public async Task The_digest_checks_keep_records_already_stored_and_refuse_any_digest_that_is_not_64_lowercase_hex_digits()
    {
        await using var database = await StartAsync(new EmptyDatabase());
        await Migrator(database).MigrateAsync([.. MigrationScript.Embedded.Where(s => s.Version < 20)], CancellationToken.None);
        var stamps = new PostgresStampStore(database.Data);
        string Hex(string text) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        await stamps.AddBatchAsync([Samples.Record(Hex("stored before"), "digests") with { Sha256 = Hex("its sha256") }]);

        Assert.Contains("0020_record_digest_checks.sql", await Migrator(database).MigrateAsync(MigrationScript.Embedded, CancellationToken.None));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM metadata_stamps WHERE namespace = 'digests'"));
        Assert.Empty(await database.ScalarAsync<string[]>("""
            SELECT coalesce(array_agg(conname::text), '{}') FROM pg_constraint
            WHERE conrelid = 'metadata_stamps'::regclass AND pg_get_constraintdef(oid) LIKE '%{64}%'
            """));
        // Added without re-reading the stored rows (they passed the old checks): a validation would hold writes back.
        Assert.Equal(2L, await database.ScalarAsync<long>("""
            SELECT count(*) FROM pg_constraint WHERE conrelid = 'metadata_stamps'::regclass AND NOT convalidated
              AND conname IN ('metadata_stamps_file_hash_hex', 'metadata_stamps_sha256_hex')
            """));

        var good = Hex("good");
        await stamps.AddBatchAsync([Samples.Record(good, "digests") with { Sha256 = Hex("good sha256") }, Samples.Record(Hex("no sha256 yet"), "digests")]);
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM metadata_stamps WHERE namespace = 'digests'"));

        // Upper case, one digit short or long, a letter past f, and 64 bytes that are 63 characters.
        string[] bad = [good.ToUpperInvariant(), good[..63], good + "0", "g" + good[1..], "é" + good[2..]];
        foreach (var digest in bad)
        {
            foreach (var record in new[] { Samples.Record(digest, "digests"), Samples.Record(Hex("file " + digest), "digests") with { Sha256 = digest } })
            {
                var refused = await Assert.ThrowsAsync<PostgresException>(() => stamps.AddBatchAsync([record]));
                Assert.Equal(PostgresErrorCodes.CheckViolation, refused.SqlState);
            }
        }
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM metadata_stamps WHERE namespace = 'digests'"));
    }

    [Fact]
    public async Task Records_waiting_for_the_log_before_its_backlog_table_and_those_a_previous_silo_logs_meanwhile_each_get_one_leaf_in_creation_order()
    {
        await using var database = await StartAsync(new EmptyDatabase());
        // Every script but 0018: the stamps below are written by today's statement, which needs the later ones.
        await Migrator(database).MigrateAsync([.. MigrationScript.Embedded.Where(s => s.Version != 18)], CancellationToken.None);
        const string ns = "old.backlog";
        var records = Enumerable.Range(0, 12).Select(i => Samples.Record(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes($"record {i}"))), ns,
            createdAt: Samples.Noon.AddSeconds(i), id: Guid.CreateVersion7())).ToList();
        var leaves = records.ConvertAll(LogLeaf.Of);
        var stamps = new PostgresStampStore(database.Data);
        // Before 0018: ten records, the first four taken in by a silo of that version (log_index set).
        await stamps.AddBatchAsync(records[..10]);
        await PreviousVersionIntegratesAsync(database, ns, leaves, records, 0, 4);

        Assert.Contains("0018_transparency_log_backlog.sql", await Migrator(database).MigrateAsync(MigrationScript.Embedded, CancellationToken.None));
        Assert.Equal(6L, await database.ScalarAsync<long>($"SELECT count(*) FROM transparency_log_backlog WHERE namespace = '{ns}'"));

        // During a rolling upgrade: new records join the backlog whoever writes them, and a silo of
        // the previous version still takes one in by its null log_index.
        await stamps.AddBatchAsync(records[10..]);
        await PreviousVersionIntegratesAsync(database, ns, leaves, records, 4, 5);
        Assert.Equal(8L, await database.ScalarAsync<long>($"SELECT count(*) FROM transparency_log_backlog WHERE namespace = '{ns}'"));

        using var log = new PostgresTransparencyLog(database.Data);
        // Three at a time: the first round meets the record already logged among those it takes.
        for (var round = 0; round < 4; round++) await log.IntegrateAsync(ns, 3, LogReader.Plan);

        Assert.Equal(records.Count, await log.SizeAsync(ns));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM transparency_log_backlog"));
        var found = await stamps.FindManyAsync([.. records.Select(r => (r.Namespace, r.FileHash))]);
        Assert.Equal(Enumerable.Range(0, records.Count).Select(i => (long?)i), records.Select(r => found[(r.Namespace, r.FileHash)].LogIndex));
        var root = Rfc9162.Root(leaves);
        var reader = new LogReader(log);
        Assert.Equal(root, await reader.RootAsync(ns, records.Count));
        for (var i = 0; i < records.Count; i++)
            Assert.True(Rfc9162.VerifyInclusion(i, records.Count, Rfc9162.LeafHash(leaves[i]), await reader.InclusionAsync(ns, i, records.Count), root), $"leaf {i}");
    }

    /// <summary>
    /// What an integration of a silo from before sql/0018 writes for the records from
    /// <paramref name="from"/> to <paramref name="to"/>: their leaves and hash tiles, their
    /// <c>metadata_stamps.log_index</c>, and the log's size.
    /// </summary>
    static async Task PreviousVersionIntegratesAsync(PostgresDatabase database, string ns, IReadOnlyList<byte[]> leaves, IReadOnlyList<OmniBridge.Grains.Interfaces.Stamping.StampRecord> records, int from, int to)
    {
        var before = MerkleTree.Append(0, [], [.. leaves.Take(from).Select(l => MerkleHash.Leaf(l))]).ToDictionary(n => n.Node, n => n.Hash);
        var added = MerkleTree.Append(from, [.. MerkleTree.Frontier(from).Select(n => before[n])], [.. leaves.Skip(from).Take(to - from).Select(l => MerkleHash.Leaf(l))]);
        var tiles = LogTiles.Appends(added);
        await using var write = database.Data.CreateCommand("""
            INSERT INTO transparency_logs (namespace) VALUES (@namespace) ON CONFLICT DO NOTHING;
            INSERT INTO transparency_log_tiles AS t (namespace, tile_level, tile_index, hashes)
            SELECT @namespace, l, i, h FROM unnest(@tile_levels, @tile_indices, @tile_hashes) AS x(l, i, h)
            ON CONFLICT (namespace, tile_level, tile_index) DO UPDATE SET hashes = t.hashes || EXCLUDED.hashes;
            INSERT INTO transparency_log_leaves (namespace, leaf_index, stamp_id, leaf) SELECT @namespace, i, s, l FROM unnest(@indices, @stamp_ids, @leaves) AS x(i, s, l);
            UPDATE metadata_stamps m SET log_index = x.i FROM unnest(@stamp_ids, @indices) AS x(s, i) WHERE m.stamp_id = x.s;
            UPDATE transparency_logs SET tree_size = @size WHERE namespace = @namespace;
            """);
        write.Parameters.Add(new NpgsqlParameter<string>("namespace", ns));
        write.Parameters.Add(new NpgsqlParameter<short[]>("tile_levels", [.. tiles.Select(a => (short)a.Tile.Level)]));
        write.Parameters.Add(new NpgsqlParameter<long[]>("tile_indices", [.. tiles.Select(a => a.Tile.Index)]));
        write.Parameters.Add(new NpgsqlParameter("tile_hashes", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = tiles.Select(a => a.Hashes).ToArray() });
        write.Parameters.Add(new NpgsqlParameter<long[]>("indices", [.. Enumerable.Range(from, to - from).Select(i => (long)i)]));
        write.Parameters.Add(new NpgsqlParameter<Guid[]>("stamp_ids", [.. records.Skip(from).Take(to - from).Select(r => r.StampId)]));
        write.Parameters.Add(new NpgsqlParameter("leaves", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = leaves.Skip(from).Take(to - from).ToArray() });
        write.Parameters.Add(new NpgsqlParameter<long>("size", to));
        await write.ExecuteNonQueryAsync();
    }

    static async Task<PostgresDatabase> StartAsync(PostgresDatabase database)
    {
        await database.InitializeAsync();
        return database;
    }
}

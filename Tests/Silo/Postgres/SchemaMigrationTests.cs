using Microsoft.Extensions.Logging.Abstractions;
using OmniBridge.Silo.Postgres;
using OmniBridge.Tests.Fixtures;

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

    static async Task<PostgresDatabase> StartAsync(PostgresDatabase database)
    {
        await database.InitializeAsync();
        return database;
    }
}

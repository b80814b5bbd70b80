using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains;
using OmniBridge.Tests.Fixtures;
using Orleans.Storage;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>
/// The SQL of sql/ proven by Orleans' own ADO.NET providers on a real PostgreSQL: grain storage
/// with optimistic concurrency, membership of several silos, and reminders that outlive a silo.
/// </summary>
public sealed class OrleansProvidersTests
{
    public sealed record class Counter
    {
        public int Value { get; set; }
        public string Note { get; set; } = "";
    }

    static ConfiguredSilo Silo(PostgresDatabase database, string clusterId) =>
        new(new Dictionary<string, string>(database.Settings) { ["CLUSTER_ID"] = clusterId },
            services => services.Configure<ReminderOptions>(o => o.MinimumReminderPeriod = TimeSpan.FromSeconds(1)));

    [Fact]
    public async Task Grain_storage_keeps_one_row_per_grain_whatever_the_race_and_a_cleared_state_keeps_its_row()
    {
        // What every grain storage does is GrainStorageContract's (PostgresGrainStorageTests); these are the rows under it.
        await using var database = await PostgresDatabase.CreateAsync();
        var silo = Silo(database, "storage");
        await silo.InitializeAsync();
        try
        {
            var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
            var id = GrainId.Create("probe", "counter-1");
            var first = new GrainState<Counter>(new Counter { Value = 1 });
            await storage.WriteStateAsync("counter", id, first);
            first.State!.Value = 2;
            await storage.WriteStateAsync("counter", id, first);
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'counter'"));

            // Two first writes for a new grain: one wins, the other is refused, never two rows.
            var race = GrainId.Create("probe", "counter-2");
            await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            {
                try
                {
                    await storage.WriteStateAsync("counter", race, new GrainState<Counter>(new Counter { Value = i }));
                }
                catch (InconsistentStateException)
                {
                }
            })));
            Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'counter'"));

            await storage.ClearStateAsync("counter", id, first);
            Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansStorage WHERE GrainTypeString = 'counter'"));
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task Grain_state_is_stored_as_json_without_type_names()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var silo = Silo(database, "json");
        await silo.InitializeAsync();
        try
        {
            var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
            await storage.WriteStateAsync("counter", GrainId.Create("probe", "json"), new GrainState<Counter>(new Counter { Value = 7, Note = "seven" }));

            var json = await database.ScalarAsync<string>("SELECT convert_from(PayloadBinary, 'UTF8') FROM OrleansStorage WHERE GrainTypeString = 'counter'");
            Assert.Equal("""{"Value":7,"Note":"seven"}""", json);
        }
        finally
        {
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task Silos_find_each_other_through_the_membership_table_and_a_leaving_silo_is_marked_dead()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        var first = Silo(database, "membership");
        var second = Silo(database, "membership");
        await first.InitializeAsync();
        await second.InitializeAsync();
        try
        {
            foreach (var silo in new[] { first, second })
            {
                await Eventually.TrueAsync(async () => (await silo.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count == 2,
                    "both silos see two active members");
            }
            Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansMembershipTable WHERE Status = 3"));

            // Stamped through one silo, read through the other: both use the same store.
            var stamped = await first.Http.StampAsync("clustered", "pg.cluster");
            var read = await second.Http.GetReplyAsync($"{ApiCalls.Base}/stamp/{stamped.GetProperty("file_hash").GetString()}?namespace=pg.cluster");
            Assert.Equal(stamped.GetProperty("stamp_id").GetString(), read.Data.GetProperty("stamp_id").GetString());

            await first.DisposeAsync();   // a graceful stop leaves the cluster
            await Eventually.TrueAsync(async () => await database.ScalarAsync<long>("SELECT count(*) FROM OrleansMembershipTable WHERE Status = 6") == 1,
                "the stopped silo is marked dead");
            // The survivor learns it from the table on its next read or by gossip: a moment later.
            await Eventually.TrueAsync(async () => (await second.Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count == 1,
                "the remaining silo sees itself alone");
        }
        finally
        {
            await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_reminder_registered_on_one_silo_fires_on_the_silo_that_replaces_it()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await database.ExecuteAsync($"CREATE TABLE {ReminderProbeGrain.Table} (grain text, silo text, at timestamptz DEFAULT now())");

        var first = Silo(database, "reminders");
        await first.InitializeAsync();
        string firstSilo;
        try
        {
            firstSilo = first.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();
            await first.Grains.GetGrain<IReminderProbeGrain>("r1").StartAsync(TimeSpan.FromSeconds(1));
            await Eventually.TrueAsync(async () => await database.ScalarAsync<long>($"SELECT count(*) FROM {ReminderProbeGrain.Table} WHERE silo = '{firstSilo}'") > 0,
                "the reminder fires on the silo that registered it");
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM OrleansRemindersTable WHERE ReminderName = 'probe'"));
        }
        finally
        {
            await first.DisposeAsync();
        }

        var replacement = Silo(database, "reminders");
        await replacement.InitializeAsync();
        try
        {
            var replacementSilo = replacement.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();
            Assert.NotEqual(firstSilo, replacementSilo);
            await Eventually.TrueAsync(async () => await database.ScalarAsync<long>($"SELECT count(*) FROM {ReminderProbeGrain.Table} WHERE silo = '{replacementSilo}'") > 0,
                "the reminder fires on the replacement silo", TimeSpan.FromSeconds(60));
        }
        finally
        {
            await replacement.DisposeAsync();
        }
    }
}

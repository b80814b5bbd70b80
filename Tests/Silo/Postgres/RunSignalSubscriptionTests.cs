using Microsoft.Extensions.DependencyInjection;
using OmniBridge.Grains.Interfaces.Codegen;
using OmniBridge.Grains.Interfaces.Codegen.Runs;
using OmniBridge.Silo.Memory;
using OmniBridge.Tests.Fixtures;
using OmniBridge.Tests.Grains.Codegen;
using Orleans.Streams;

namespace OmniBridge.Tests.Silo.Postgres;

/// <summary>
/// docs/runs.md, "Signals": on PostgreSQL the subscriptions to run signals are kept in the database (the stream's pub-sub
/// store), so a grain that subscribed on a silo that has since gone still receives the signals of a run made later on
/// another silo.
/// </summary>
public sealed class RunSignalSubscriptionTests
{
    [Fact]
    public async Task A_grain_subscription_made_on_a_silo_that_has_gone_still_receives_every_signal()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await database.ExecuteAsync($"CREATE TABLE {RunSignalRecorderGrain.Table} (run_id uuid, seq bigint, silo text)");
        var runId = Guid.NewGuid();
        ConfiguredSilo Silo() => new(new Dictionary<string, string>(database.Settings) { ["CLUSTER_ID"] = "signals" });

        var first = Silo();
        await first.InitializeAsync();
        try
        {
            await first.Grains.GetGrain<IRunSignalRecorderGrain>(runId).SubscribeAsync();
        }
        finally
        {
            await first.DisposeAsync();
        }

        var replacement = Silo();
        await replacement.InitializeAsync();
        try
        {
            // A cluster's signals go through the queue grain whose reads wait (docs/runs.md, "Signals").
            Assert.IsType<SignalQueueAdapter>(replacement.Services.GetRequiredKeyedService<IQueueAdapterFactory>(RunSignals.Provider));
            var replacementSilo = replacement.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();
            var sent = await CompleteRunAsync(replacement.Grains.GetGrain<ICodegenRunGrain>(runId));
            Assert.NotEmpty(sent);
            await Eventually.TrueAsync(async () => await database.ScalarAsync<long>($"SELECT count(DISTINCT seq) FROM {RunSignalRecorderGrain.Table}") == sent.Count,
                $"the subscriber receives all {sent.Count} signals", TimeSpan.FromSeconds(30));
            Assert.Equal(sent.Count, await database.ScalarAsync<long>($"SELECT count(*) FROM {RunSignalRecorderGrain.Table} WHERE run_id = '{runId}' AND silo = '{replacementSilo}' AND seq BETWEEN 1 AND {sent.Count}"));
        }
        finally
        {
            await replacement.DisposeAsync();
        }
    }

    [Fact]
    public async Task In_a_cluster_of_two_silos_a_grain_subscriber_receives_every_signal_of_a_run_made_on_either()
    {
        // One signal queue for the cluster: its grain and its reader (the silo owning the queue) may be on either silo,
        // and the run's coordinator publishes from wherever it was placed.
        await using var database = await PostgresDatabase.CreateAsync();
        await database.ExecuteAsync($"CREATE TABLE {RunSignalRecorderGrain.Table} (run_id uuid, seq bigint, silo text)");
        ConfiguredSilo Silo() => new(new Dictionary<string, string>(database.Settings) { ["CLUSTER_ID"] = "signal-pair" });
        await using var first = Silo();
        await first.InitializeAsync();
        await using var second = Silo();
        await second.InitializeAsync();
        var silos = new[] { first, second };
        await Eventually.TrueAsync(async () => (await first.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count == 2,
            "both silos are active members", TimeSpan.FromMinutes(1));

        foreach (var (submitter, round) in new[] { (second, 0), (first, 1), (second, 2), (first, 3) })
        {
            var runId = Guid.NewGuid();
            await silos[round % 2].Grains.GetGrain<IRunSignalRecorderGrain>(runId).SubscribeAsync();
            var sent = await CompleteRunAsync(submitter.Grains.GetGrain<ICodegenRunGrain>(runId));
            await Eventually.TrueAsync(async () => await database.ScalarAsync<long>($"SELECT count(DISTINCT seq) FROM {RunSignalRecorderGrain.Table} WHERE run_id = '{runId}'") == sent.Count,
                $"the subscriber of round {round} receives all {sent.Count} signals", TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Submits a run of one template contract, waits for it to complete, and answers the signals it sent.</summary>
    static async Task<IReadOnlyList<RunSignal>> CompleteRunAsync(ICodegenRunGrain run)
    {
        await run.SubmitAsync(new RunRequest
        {
            Strategy = CodegenStrategies.Template,
            Contracts = [new RunContract { Name = "orders", Requirements = CodegenKit.Requirements("compute", "orders", "Adds two numbers", ["add"]) }],
        });
        await Eventually.TrueAsync(async () => (await run.GetAsync()).Status == RunStatus.Completed, "the run completes", TimeSpan.FromMinutes(2));
        return await run.SignalsAsync(0, null);
    }
}

using OmniBridge.Grains.Transparency;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// A manifest outlives the silo that wrote it: stamped against a silo on PostgreSQL, verified
/// against the next silo on the same database, whose log extends the manifest's checkpoint.
/// </summary>
public sealed class PostgresCliTests
{
    [Fact]
    public async Task A_tree_stamped_before_a_silo_restart_verifies_after_it_and_restamping_extends_the_same_log()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        using var key = NoteKey.Generate("cli.pg");
        var settings = new Dictionary<string, string>(database.Settings)
        {
            ["CLUSTER_ID"] = "cli-pg",
            ["LOG_SIGNING_KEY"] = key.SignerKey,
            ["LOG_INTEGRATE_MS"] = "100",
            ["LOG_CHECKPOINT_MS"] = "100",
        };
        using var tree = new SampleTree(textFiles: 20, large: false);
        tree.WriteBytes("dist/over-8-mib.bin", new byte[(8 << 20) + 1]);   // through the streaming door
        const string ns = "cli.pg.tree";

        var port = FreePort.Next();
        await using (var first = await ServiceProcess.StartReadyAsync(settings, port))
        {
            var stamp = await Omnibridge.RunAsync(["stamp", tree.Root, "--namespace", ns, "--server", Url(first), "--with-proofs", "--in-place"]);
            Assert.True(stamp.ExitCode == 0, stamp.ToString());
            first.KillHard();
        }

        // The same service at the same address: a manifest is bound to its namespace and server.
        await using var second = await ServiceProcess.StartReadyAsync(settings, port);
        var verify = await Omnibridge.RunAsync(["verify", tree.Root, "--json", "--log-key", key.VerifierKey, "--server", Url(second)]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(verify.Json.GetProperty("checkpoint").GetProperty("consistent").GetBoolean());

        tree.Write("later.txt", "stamped after the restart\n");
        var again = await Omnibridge.RunAsync(["stamp", tree.Root, "--namespace", ns, "--server", Url(second), "--with-proofs"]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("1 registered", again.Output, StringComparison.Ordinal);
        var after = await Omnibridge.RunAsync(["verify", tree.Root, "--json", "--offline", "--log-key", key.VerifierKey]);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal("ok", after.Statuses["later.txt"]);
    }

    static string Url(ServiceProcess service) => $"http://127.0.0.1:{service.Port}";
}

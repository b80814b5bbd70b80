using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OmniBridge.Grains.Transparency;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// <c>verify</c> against what an attacker or a faulty service would produce (docs/cli.md, "What
/// verify proves"): a tampered manifest, a tampered proof, a checkpoint forged with another key,
/// a checkpoint signed with the right key that the log does not extend, records the service lost.
/// Each is a mismatch (exit code 1); misuse and an unreachable server are errors (exit code 2).
/// </summary>
public sealed class TamperingTests(CliService service) : IClassFixture<CliService>, IAsyncLifetime, IDisposable
{
    readonly SampleTree tree = new(textFiles: 12, large: false);
    readonly string ns = "cli.tamper.t" + Guid.NewGuid().ToString("N")[..8];

    string ManifestPath => tree.PathOf("onex-manifest.json");
    string ProofsPath => tree.PathOf("onex-proofs.json");

    public async Task InitializeAsync()
    {
        var stamp = await Omnibridge.RunAsync(["stamp", tree.Root, "--namespace", ns, "--server", service.Url, "--with-proofs"]);
        Assert.True(stamp.ExitCode == 0, stamp.ToString());
    }

    Task<CliRun> Verify(params string[] options) => Omnibridge.RunAsync(["verify", tree.Root, "--json", .. options]);
    Task<CliRun> Online() => Verify("--server", service.Url);
    Task<CliRun> Offline() => Verify("--offline");

    /// <summary>Changes a JSON file, runs the checks, and puts it back as it was.</summary>
    static async Task WithEditedAsync(string path, Action<JsonNode> edit, Func<Task> check)
    {
        var original = File.ReadAllBytes(path);
        var node = JsonNode.Parse(original)!;
        edit(node);
        File.WriteAllText(path, node.ToJsonString());
        try
        {
            await check();
        }
        finally
        {
            File.WriteAllBytes(path, original);
        }
    }

    static JsonNode FileNode(JsonNode document, string path) => document["files"]!.AsArray().Single(f => f!["path"]!.GetValue<string>() == path)!;

    [Fact]
    public async Task A_tampered_proof_fails_offline_for_its_file_alone()
    {
        await WithEditedAsync(ProofsPath, proofs =>
        {
            var hashes = FileNode(proofs, "README.md")["hashes"]!.AsArray();
            hashes[0] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        }, async () =>
        {
            var run = await Offline();
            Assert.Equal(1, run.ExitCode);
            Assert.Equal(new Dictionary<string, string> { ["README.md"] = "proof_failed" }, run.Statuses.Where(s => s.Value != "ok").ToDictionary());
        });
        Assert.Equal(0, (await Offline()).ExitCode);
    }

    [Fact]
    public async Task A_manifest_naming_another_record_is_not_registered_online_and_fails_its_proof_offline()
    {
        await WithEditedAsync(ManifestPath, manifest => FileNode(manifest, "empty")["stamp_id"] = Guid.NewGuid().ToString(), async () =>
        {
            var online = await Online();
            var offline = await Offline();
            Assert.Equal((1, "not_registered"), (online.ExitCode, online.Statuses["empty"]));
            Assert.Equal((1, "proof_failed"), (offline.ExitCode, offline.Statuses["empty"]));
        });

        // A tampered hash makes the file itself a mismatch.
        await WithEditedAsync(ManifestPath, manifest => FileNode(manifest, "README.md")["blake3"] = new string('0', 64), async () =>
            Assert.Equal("modified", (await Offline()).Statuses["README.md"]));
    }

    [Fact]
    public async Task A_manifest_checkpoint_edited_or_signed_by_another_key_is_a_mismatch()
    {
        var note = JsonNode.Parse(File.ReadAllBytes(ManifestPath))!["checkpoint"]!.GetValue<string>();
        var lines = note.Split('\n');
        var edited = string.Join('\n', [lines[0], lines[1], Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), .. lines[3..]]);
        using var impostor = NoteKey.Generate("cli.tests");   // the same name, another key
        var forged = Checkpoint.Sign(impostor, lines[0], long.Parse(lines[1], CultureInfo.InvariantCulture), Convert.FromBase64String(lines[2]));

        foreach (var bad in new[] { edited, forged })
        {
            await WithEditedAsync(ManifestPath, manifest => manifest["checkpoint"] = bad, async () =>
            {
                foreach (var run in new[] { await Online(), await Offline() })
                {
                    Assert.Equal(1, run.ExitCode);
                    Assert.False(run.Json.GetProperty("checkpoint").GetProperty("consistent").GetBoolean());
                    Assert.Contains("signature", run.Json.GetProperty("checkpoint").GetProperty("problem").GetString(), StringComparison.Ordinal);
                }
            });
        }

        // Checked with another log key, the true checkpoint is no better than a forged one.
        var wrongKey = await Verify("--offline", "--log-key", impostor.VerifierKey);
        Assert.Equal(1, wrongKey.ExitCode);
        var keyFile = tree.PathOf("../" + Path.GetFileName(tree.Root) + ".key");
        File.WriteAllText(keyFile, service.LogKey.VerifierKey + "\n");
        try
        {
            Assert.Equal(0, (await Verify("--offline", "--log-key", "@" + keyFile)).ExitCode);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task A_checkpoint_signed_by_the_log_key_that_the_log_does_not_extend_is_inconsistent()
    {
        var manifest = JsonNode.Parse(File.ReadAllBytes(ManifestPath))!;
        var lines = manifest["checkpoint"]!.GetValue<string>().Split('\n');
        var size = long.Parse(lines[1], CultureInfo.InvariantCulture);
        // What a log that rewrote its history would have signed earlier: a smaller tree with another root.
        var rewritten = Checkpoint.Sign(service.LogKey, lines[0], size - 1, RandomNumberGenerator.GetBytes(32));

        await WithEditedAsync(ManifestPath, m => m["checkpoint"] = rewritten, async () =>
        {
            var online = await Online();
            Assert.Equal(1, online.ExitCode);
            Assert.False(online.Json.GetProperty("checkpoint").GetProperty("consistent").GetBoolean());
            Assert.Contains("does not extend", online.Json.GetProperty("checkpoint").GetProperty("problem").GetString(), StringComparison.Ordinal);
            // Offline, the proofs file no longer matches the manifest's checkpoint.
            var offline = await Offline();
            Assert.Equal(1, offline.ExitCode);
            Assert.All(offline.Statuses.Values, status => Assert.Equal("proof_failed", status));
        });
    }

    [Fact]
    public async Task A_service_that_lost_the_records_is_caught()
    {
        // The embedded default keeps records in memory: a restarted one has none, and its log starts again.
        await using var restarted = new ConfiguredSilo(new Dictionary<string, string> { ["LOG_SIGNING_KEY"] = service.LogKey.SignerKey });
        await restarted.InitializeAsync();

        var run = await Verify("--server", restarted.Address.ToString());

        Assert.Equal(1, run.ExitCode);
        Assert.All(run.Statuses.Values, status => Assert.Equal("not_registered", status));
        Assert.False(run.Json.GetProperty("checkpoint").GetProperty("consistent").GetBoolean());
    }

    [Fact]
    public async Task Misuse_and_an_unreachable_server_exit_with_2()
    {
        var unknownOption = await Omnibridge.RunAsync(["verify", tree.Root, "--no-such-option"]);
        var noNamespace = await Omnibridge.RunAsync(["stamp", tree.Root]);
        var noManifest = await Omnibridge.RunAsync(["verify", tree.PathOf("src"), "--offline"]);
        var unreachable = await Omnibridge.RunAsync(["stamp", tree.PathOf("src"), "--namespace", ns, "--server", $"http://127.0.0.1:{FreePort.Next()}"]);
        var badNamespace = await Omnibridge.RunAsync(["stamp", tree.PathOf("src"), "--namespace", "Not A Namespace", "--server", service.Url]);

        foreach (var run in new[] { unknownOption, noNamespace, noManifest, unreachable, badNamespace })
        {
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.NotEqual("", run.Stderr.Trim());
        }
        Assert.Contains("INVALID_NAMESPACE", badNamespace.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(tree.PathOf("src/onex-manifest.json")));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => tree.Dispose();
}

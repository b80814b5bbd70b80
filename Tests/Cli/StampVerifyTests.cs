using System.Security.Cryptography;
using System.Text.Json;
using OmniBridge.Tests.Fixtures;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// <c>omnibridge stamp</c> and <c>verify</c> on a real tree against a real silo (docs/cli.md): the
/// manifest holds every file as b3sum and sha256sum see it, its proofs verify online and offline,
/// a second run sends nothing, and every kind of change is named.
/// </summary>
public sealed class StampVerifyTests(CliService service) : IClassFixture<CliService>
{
    static string Ns() => "cli.t" + Guid.NewGuid().ToString("N")[..10];

    static Task<CliRun> Run(params string[] arguments) => Omnibridge.RunAsync(arguments);

    static JsonElement Manifest(SampleTree tree) => JsonDocument.Parse(File.ReadAllBytes(tree.PathOf("onex-manifest.json"))).RootElement;

    [Fact]
    public async Task A_tree_stamped_with_proofs_verifies_online_and_offline_and_a_second_run_sends_nothing()
    {
        using var tree = new SampleTree();
        var ns = Ns();

        var stamp = await Run("stamp", tree.Root, "--namespace", ns, "--server", service.Url, "--with-proofs");

        Assert.True(stamp.ExitCode == 0, stamp.ToString());
        var manifest = Manifest(tree);
        Assert.Equal(1, manifest.GetProperty("version").GetInt32());
        Assert.Equal(ns, manifest.GetProperty("namespace").GetString());
        Assert.Equal(service.LogKey.VerifierKey, manifest.GetProperty("log_key").GetString());
        var files = manifest.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.Equal(tree.ExpectedPaths, files.Keys.ToList());
        Assert.True(files.Count > 300);
        foreach (var name in new[] { "dist/large.bin", "new\nline.txt", "back\\slash.txt", "ünïcødé-名前.txt", "with space.txt", "empty", "assets/blob00.bin" })
        {
            var bytes = File.ReadAllBytes(tree.PathOf(name));
            Assert.Equal(await B3sum.OfFileAsync(tree.PathOf(name)), files[name].GetProperty("blake3").GetString());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), files[name].GetProperty("sha256").GetString());
            Assert.Equal(bytes.Length, files[name].GetProperty("size").GetInt64());
        }
        Assert.All(files.Values, f => Assert.Equal(JsonValueKind.Number, f.GetProperty("log_index").ValueKind));
        // Two paths with the same bytes are one record.
        Assert.Equal(files["src/pkg1/mod2/file008.py"].GetProperty("stamp_id").GetString(), files["src/pkg2/mod0/file009.py"].GetProperty("stamp_id").GetString());
        // The large file went through the streaming door, whole.
        Assert.Contains(("/api/v1/metadata-stamping/stamp", SampleTree.LargeSize), service.Tally.Received);
        var proofs = JsonDocument.Parse(File.ReadAllBytes(tree.PathOf("onex-proofs.json"))).RootElement;
        Assert.Equal(manifest.GetProperty("checkpoint").GetString(), proofs.GetProperty("checkpoint").GetString());
        Assert.Equal(files.Count, proofs.GetProperty("files").GetArrayLength());

        var online = await Run("verify", tree.Root, "--server", service.Url, "--json");
        var offline = await Run("verify", tree.Root, "--offline", "--log-key", service.LogKey.VerifierKey, "--json");
        foreach (var verify in new[] { online, offline })
        {
            Assert.True(verify.ExitCode == 0, verify.ToString());
            Assert.True(verify.Json.GetProperty("ok").GetBoolean());
            Assert.All(verify.Statuses.Values, status => Assert.Equal("ok", status));
            Assert.Equal(files.Count, verify.Statuses.Count);
            Assert.True(verify.Json.GetProperty("checkpoint").GetProperty("consistent").GetBoolean());
        }

        var manifestBytes = File.ReadAllBytes(tree.PathOf("onex-manifest.json"));
        var proofsBytes = File.ReadAllBytes(tree.PathOf("onex-proofs.json"));
        var (requests, bytesSent) = (service.Tally.Requests, service.Tally.BodyBytes);
        var again = await Run("stamp", tree.Root, "--namespace", ns, "--server", service.Url, "--with-proofs");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal((requests, bytesSent), (service.Tally.Requests, service.Tally.BodyBytes));
        Assert.Equal(manifestBytes, File.ReadAllBytes(tree.PathOf("onex-manifest.json")));
        Assert.Equal(proofsBytes, File.ReadAllBytes(tree.PathOf("onex-proofs.json")));
    }

    [Fact]
    public async Task Verify_names_every_file_modified_missing_added_or_whose_stamp_no_longer_binds()
    {
        using var tree = new SampleTree(textFiles: 30, large: false);
        var ns = Ns();
        var binary = File.ReadAllBytes(tree.PathOf("assets/blob01.bin"));

        var stamp = await Run("stamp", tree.Root, "--namespace", ns, "--server", service.Url, "--in-place", "--with-proofs");

        Assert.True(stamp.ExitCode == 0, stamp.ToString());
        Assert.StartsWith("# ONEX:uid=", File.ReadAllText(tree.PathOf("src/pkg0/mod0/file000.py")), StringComparison.Ordinal);
        Assert.Equal(binary, File.ReadAllBytes(tree.PathOf("assets/blob01.bin")));
        Assert.Empty(File.ReadAllBytes(tree.PathOf("empty")));
        Assert.Equal(0, (await Run("verify", tree.Root, "--server", service.Url)).ExitCode);

        File.AppendAllText(tree.PathOf("assets/blob03.bin"), "!");
        File.Delete(tree.PathOf("with space.txt"));
        tree.Write("new\nfile.txt", "appeared later\n");
        var stamped = tree.PathOf("src/pkg0/mod0/file000.py");
        File.WriteAllText(stamped, File.ReadAllText(stamped).Replace("return 0", "return 42", StringComparison.Ordinal));
        var expected = new Dictionary<string, string>
        {
            ["assets/blob03.bin"] = "modified",
            ["with space.txt"] = "missing",
            ["new\nfile.txt"] = "added",
            ["src/pkg0/mod0/file000.py"] = "invalid_stamp",
        };

        var online = await Run("verify", tree.Root, "--server", service.Url, "--json");
        var offline = await Run("verify", tree.Root, "--offline", "--json");
        foreach (var verify in new[] { online, offline })
        {
            Assert.Equal(1, verify.ExitCode);
            Assert.False(verify.Json.GetProperty("ok").GetBoolean());
            Assert.Equal(expected, verify.Statuses.Where(s => s.Value != "ok").ToDictionary());
            Assert.Equal(tree.ExpectedPaths.Count + 1, verify.Statuses.Count);
        }

        // People get a table naming each file as b3sum would, plain text when stdout is not a terminal.
        var human = await Run("verify", tree.Root, "--server", service.Url);
        Assert.Equal(1, human.ExitCode);
        foreach (var (path, status) in expected)
            Assert.Contains(human.Output.Split('\n'), line => line.Contains(status, StringComparison.Ordinal) && line.Contains(path.Replace("\n", "\\n", StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.Contains("mismatch", human.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_stamp_sends_only_what_changed()
    {
        using var tree = new SampleTree(textFiles: 40, large: false);
        var ns = Ns();
        Assert.Equal(0, (await Run("stamp", tree.Root, "--namespace", ns, "--server", service.Url)).ExitCode);
        var changed = new byte[50_000];
        Random.Shared.NextBytes(changed);
        tree.WriteBytes("assets/blob05.bin", changed);

        var bytesBefore = service.Tally.BodyBytes;
        var again = await Run("stamp", tree.Root, "--namespace", ns, "--server", service.Url);

        Assert.True(again.ExitCode == 0, again.ToString());
        var sent = service.Tally.BodyBytes - bytesBefore;
        // The one changed file, base64 in a batch: nothing of the other files.
        Assert.InRange(sent, changed.Length, changed.Length * 4 / 3 + 4096);
        Assert.Contains("1 registered", again.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await Run("verify", tree.Root, "--server", service.Url)).ExitCode);
    }
}

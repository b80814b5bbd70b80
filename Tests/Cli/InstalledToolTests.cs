using System.Text.Json.Nodes;

namespace OmniBridge.Tests.Cli;

/// <summary>
/// The tool a user installs (docs/cli.md, "Installing it"), not the build output the other
/// command-line tests run: on Linux x64 a native executable compiled ahead of time, whose JSON,
/// command line, tables and signature checks must work without the JIT and with nothing trimmed
/// away that they need.
/// </summary>
public sealed class InstalledToolTests(InstalledTool tool, CliService service) : IClassFixture<InstalledTool>, IClassFixture<CliService>
{
    Task<CliRun> Run(params string[] arguments) => Omnibridge.RunAsync(arguments, executable: tool.Command);

    [Fact]
    public void On_linux_x64_the_installed_command_is_a_native_executable()
    {
        Assert.Equal("linux-x64", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier);
        var target = new FileInfo(tool.Command).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? tool.Command;
        Assert.Contains("omnibridge.linux-x64", target, StringComparison.Ordinal);
        // An ELF executable, with no managed assembly of the tool beside it.
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(target)[..4]);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(target)!, "omnibridge.dll")));
    }

    [Fact]
    public async Task The_framework_dependent_package_installs_by_its_own_name_and_hashes_like_b3sum()
    {
        using var tree = new SampleTree(textFiles: 5, large: false);
        var target = new FileInfo(tool.FrameworkDependentCommand).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? tool.FrameworkDependentCommand;
        Assert.DoesNotContain("omnibridge.linux-x64", target, StringComparison.Ordinal);

        string[] names = ["README.md", "assets/blob02.bin", "empty"];
        var hash = await Omnibridge.RunAsync(["hash", .. names], tree.Root, executable: tool.FrameworkDependentCommand);

        Assert.True(hash.ExitCode == 0, hash.ToString());
        Assert.Equal(await HashCommandTests.B3sumAsync(tree.Root, names), hash.Stdout);
    }

    [Fact]
    public async Task It_hashes_like_b3sum_and_stamps_and_verifies_a_tree_with_proofs()
    {
        using var tree = new SampleTree(textFiles: 40);
        string[] names = ["README.md", "with space.txt", "new\nline.txt", "ünïcødé-名前.txt", "empty", "assets/blob07.bin", "dist/large.bin"];
        var hash = await Omnibridge.RunAsync(["hash", .. names], tree.Root, executable: tool.Command);
        Assert.Equal(0, hash.ExitCode);
        Assert.Equal(await HashCommandTests.B3sumAsync(tree.Root, names), hash.Stdout);

        var ns = "cli.native" + Guid.NewGuid().ToString("N")[..8];
        var stamp = await Run("stamp", tree.Root, "--namespace", ns, "--server", service.Url, "--with-proofs");
        Assert.True(stamp.ExitCode == 0, stamp.ToString());
        var online = await Run("verify", tree.Root, "--server", service.Url, "--json");
        Assert.True(online.ExitCode == 0, online.ToString());
        Assert.Equal(tree.ExpectedPaths.Count, online.Statuses.Count);
        Assert.All(online.Statuses.Values, status => Assert.Equal("ok", status));

        File.AppendAllText(tree.PathOf("README.md"), "changed\n");
        File.Delete(tree.PathOf("with space.txt"));
        var offline = await Run("verify", tree.Root, "--offline", "--log-key", service.LogKey.VerifierKey, "--json");
        Assert.Equal(1, offline.ExitCode);
        Assert.Equal(new Dictionary<string, string> { ["README.md"] = "modified", ["with space.txt"] = "missing" },
            offline.Statuses.Where(s => s.Value != "ok").ToDictionary());
        Assert.True(offline.Json.GetProperty("checkpoint").GetProperty("consistent").GetBoolean());
        // People get the table (Spectre.Console's, in the native build too), plain without a terminal.
        var human = await Run("verify", tree.Root, "--server", service.Url);
        Assert.Equal(1, human.ExitCode);
        Assert.Contains(human.Output.Split('\n'), line => line.Contains("modified", StringComparison.Ordinal) && line.Contains("README.md", StringComparison.Ordinal));
        Assert.Contains(human.Output.Split('\n'), line => line.Contains("missing", StringComparison.Ordinal) && line.Contains("with space.txt", StringComparison.Ordinal));

        // A proof that no longer leads to the signed checkpoint is caught by the native build's own Merkle and Ed25519 code.
        var proofsPath = tree.PathOf("onex-proofs.json");
        var proofs = JsonNode.Parse(File.ReadAllText(proofsPath))!;
        var hashes = proofs["files"]!.AsArray().Single(f => (string?)f!["path"] == "assets/blob07.bin")!["hashes"]!.AsArray();
        hashes[0] = Convert.ToBase64String(Convert.FromBase64String((string)hashes[0]!).Select(b => (byte)(b ^ 1)).ToArray());
        File.WriteAllText(proofsPath, proofs.ToJsonString());
        var tampered = await Run("verify", tree.Root, "--offline", "--log-key", service.LogKey.VerifierKey, "--json");
        Assert.Equal(1, tampered.ExitCode);
        Assert.Equal("proof_failed", tampered.Statuses["assets/blob07.bin"]);

        // A usage error is exit code 2 with a message, as from the build output.
        var usage = await Run("stamp", tree.Root, "--server", service.Url);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--namespace", usage.Stderr, StringComparison.Ordinal);
    }
}

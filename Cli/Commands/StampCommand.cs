using System.CommandLine;
using OmniBridge.Cli.Output;
using OmniBridge.Cli.Service;
using OmniBridge.Cli.Stamping;

namespace OmniBridge.Cli.Commands;

/// <summary><c>omnibridge stamp PATH… --namespace NS</c>: registers a tree and writes its manifest (docs/cli.md, "stamp").</summary>
public static class StampCommand
{
    public static Command Create()
    {
        var paths = CommandOptions.Paths("files and folders to stamp");
        var namespaceOption = new Option<string>("--namespace") { Description = "the namespace to register the files in", Required = true };
        var server = CommandOptions.Server();
        var key = CommandOptions.Key();
        var manifest = CommandOptions.Manifest();
        var inPlace = new Option<bool>("--in-place") { Description = "first write a stamp into each text file (UTF-8 without NUL bytes, at most 8 MiB)" };
        var withProofs = new Option<bool>("--with-proofs") { Description = "wait for the log and write each file's inclusion proof to onex-proofs.json" };
        var proofWait = new Option<int>("--proof-wait") { Description = "how many seconds --with-proofs waits for the log at most", DefaultValueFactory = _ => 120 };
        var command = new Command("stamp", "register every file under the paths and write the manifest")
        {
            paths, namespaceOption, server, key, manifest, inPlace, withProofs, proofWait,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var roots = parsed.GetValue(paths)!;
            var manifestPath = CommandOptions.ManifestPath(parsed.GetValue(manifest), roots);
            var serverText = parsed.GetValue(server)!;
            using var client = new ServiceClient(CommandOptions.ServerUri(serverText), parsed.GetValue(key), TreeStamping.Parallelism);
            var terminal = Terminal.Create(machineOutput: false);
            var run = new TreeStamping(client, terminal, new StampSettings
            {
                Roots = roots,
                Namespace = parsed.GetValue(namespaceOption)!,
                Server = serverText,
                ManifestPath = manifestPath,
                InPlace = parsed.GetValue(inPlace),
                WithProofs = parsed.GetValue(withProofs),
                ProofWait = TimeSpan.FromSeconds(Math.Max(1, parsed.GetValue(proofWait))),
            });
            return await run.RunAsync(cancellationToken);
        });
        return command;
    }
}

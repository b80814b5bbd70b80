using System.CommandLine;
using OmniBridge.Cli.Manifests;
using OmniBridge.Cli.Output;
using OmniBridge.Cli.Service;
using OmniBridge.Cli.Verifying;

namespace OmniBridge.Cli.Commands;

/// <summary><c>omnibridge verify PATH…</c>: what changed since the manifest, and whether the log still vouches for it (docs/cli.md, "verify").</summary>
public static class VerifyCommand
{
    public static Command Create()
    {
        var paths = CommandOptions.Paths("files and folders to verify");
        var manifest = CommandOptions.Manifest();
        var server = new Option<string?>("--server") { Description = "the service's base URL (default: OMNIBRIDGE_URL, else the manifest's server)" };
        var key = CommandOptions.Key();
        var logKey = new Option<string?>("--log-key") { Description = "the log's verifier key, or @FILE holding it (default: the manifest's, else the server's /key, trusted on first use)" };
        var offline = new Option<bool>("--offline") { Description = "use only the manifest and onex-proofs.json; no server" };
        var json = new Option<bool>("--json") { Description = "print the findings as JSON" };
        var command = new Command("verify", "report every file modified, missing or added since the manifest, and check its records and proofs")
        {
            paths, manifest, server, key, logKey, offline, json,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var roots = parsed.GetValue(paths)!;
            var machine = parsed.GetValue(json);
            var terminal = Terminal.Create(machine);
            var manifestPath = CommandOptions.ManifestPath(parsed.GetValue(manifest), roots);
            var serverText = parsed.GetValue(server)
                ?? (Environment.GetEnvironmentVariable("OMNIBRIDGE_URL") is { Length: > 0 } url ? url : null)
                ?? ManifestFiles.ReadManifest(manifestPath)?.Server
                ?? CommandOptions.DefaultServer;
            using var client = parsed.GetValue(offline) ? null : new ServiceClient(CommandOptions.ServerUri(serverText), parsed.GetValue(key), 4);
            var report = await new TreeVerification(client, terminal, new VerifySettings
            {
                Roots = roots,
                ManifestPath = manifestPath,
                LogKey = ReadKey(parsed.GetValue(logKey)),
                Offline = client is null,
            }).RunAsync(cancellationToken);

            if (machine)
            {
                using var output = Console.OpenStandardOutput();
                report.WriteJson(output);
            }
            else report.WriteTable(terminal);
            return report.ExitCode;
        });
        return command;
    }

    /// <summary>The key as given, or read from the file named after an <c>@</c>.</summary>
    static string? ReadKey(string? given) => given switch
    {
        null => null,
        ['@', .. var file] => File.ReadAllText(file).Trim(),
        _ => given.Trim(),
    };
}

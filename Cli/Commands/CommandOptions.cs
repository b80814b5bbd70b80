using System.CommandLine;

namespace OmniBridge.Cli.Commands;

/// <summary>Options more than one command takes, with their environment defaults (docs/cli.md).</summary>
public static class CommandOptions
{
    public const string DefaultServer = "http://localhost:8053";

    public static Argument<string[]> Paths(string description) => new("PATH") { Arity = ArgumentArity.OneOrMore, Description = description };

    public static Option<string> Server() => new("--server")
    {
        Description = $"the service's base URL (default: OMNIBRIDGE_URL, else {DefaultServer})",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OMNIBRIDGE_URL") is { Length: > 0 } url ? url : DefaultServer,
    };

    public static Option<string?> Key() => new("--key")
    {
        Description = "the API key (default: OMNIBRIDGE_API_KEY)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OMNIBRIDGE_API_KEY") is { Length: > 0 } key ? key : null,
    };

    public static Option<string?> Manifest() => new("--manifest")
    {
        Description = $"the manifest file (default: {Manifests.Manifest.DefaultName} in the only PATH when it is a folder, else in the current folder)",
    };

    /// <summary>The manifest's full path: as given, or the default for these paths.</summary>
    public static string ManifestPath(string? given, IReadOnlyList<string> paths) => Path.GetFullPath(
        given ?? (paths.Count == 1 && Directory.Exists(paths[0])
            ? Path.Combine(paths[0], Manifests.Manifest.DefaultName)
            : Manifests.Manifest.DefaultName));

    /// <summary>The proofs file that goes with a manifest: beside it.</summary>
    public static string ProofsPath(string manifestPath) => Path.Combine(Path.GetDirectoryName(manifestPath)!, Manifests.Manifest.ProofsName);

    /// <summary>The service's address as a base for relative requests.</summary>
    /// <exception cref="ArgumentException">Not an http or https URL.</exception>
    public static Uri ServerUri(string server) =>
        Uri.TryCreate(server.TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"--server '{server}' is not an http or https URL");

    /// <summary>Two spellings of one server (a trailing slash or not) are the same server.</summary>
    public static bool SameServer(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
}
